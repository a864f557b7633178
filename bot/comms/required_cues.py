"""Cue lexicons for required content in prose (see ``required_content`` for how they are used).

Each key has one or more regexes searched per sentence, case-insensitively. They describe how comms
people actually phrase the pieces ("Customers in the EU cannot complete checkout", "We don't have an
estimate yet", "Next update in 30 minutes"), not only ``Impact:``-style headings.
"""

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


NUMBER = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|eight|ten|twelve|fifteen|twenty|thirty|"
    r"forty(?:[- ]five)?|sixty|ninety|a few|a couple of|several|half an?)"
)
DURATION = (
    rf"\b{NUMBER}(?:\s*(?:-|–|to)\s*\d+)?\s*(?:more\s+)?(?:minutes?|mins?|hours?|hrs?|days?|"
    r"business days?|working days?)\b|\b(?:the|next) hour\b"
)
TIME = _rx(
    r"\b\d{1,2}[:.]\d{2}\b",
    r"\b\d{1,2}\s?(?:am|pm)\b",
    r"(?<![\w.])~?\d{1,3}\s?(?:h|hrs?|m|mins?)\b",
    r"\b(?:noon|midnight|tomorrow|tonight|end of (?:the )?(?:day|business)|eod|"
    r"this (?:morning|afternoon|evening))\b",
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    DURATION,
    r"\{\{[^}]*\}\}",
)

PROBLEM = _rx(
    r"\b(?:outages?|incidents?|issues?|problems?|disruptions?|degrad\w*|slow(?:down|ness|ly|er)?|errors?|"
    r"failures?|fail(?:s|ed|ing)?|delay(?:s|ed)?|latency|unavailab\w+|down(?:time)?|crash\w*|timeouts?|"
    r"timed out|stuck|stall\w*|missing|broken|cannot|can't|could not|couldn't|unable|declined|dropp\w+|"
    r"wrong|incorrect\w*|duplicat\w+|backed up|queueing|late|corrupt\w*|exhausted|expired|blocked|faulty|"
    r"buggy|misconfigur\w*|hang(?:s|ing)?|freez\w*|empty|miss(?:es|ed)?|drops?|waited|waiting|fail-?over|"
    r"catching up|behind|lag(?:s|ged|ging)?|throttl\w*|bounc\w+|rejected|denied|offline|rebalanc\w+|"
    r"restarted unexpectedly|overloaded|saturated|leak\w*|out of (?:memory|space|disk))\b",
    r"\bnot (?:working|loading|arriving|being|sent|delivered|visible|receiv\w+|available)\b",
    r"\bno (?:data|results|information)\b",
)

AFFECTED = _rx(
    r"(?<!-)\b(?:transfers?|bookings?|appointments?|shipments?|refunds?|statements?|customers?|users?|merchants?|shoppers?|clinicians?|patients?|subscribers?|integrations?|clients?|"
    r"you|your|tenants?|workspaces?|accounts?|agents?|developers?|sign-?ins?|log-?ins?|requests?|"
    r"payments?|transactions?|orders?|calls?|uploads?|downloads?|exports?|e-?mails?|messages?|"
    r"notifications?|alerts?|reminders?|reports?|pages?|dashboards?|webhooks?|deliveries|renewals?|"
    r"invoices?|payouts?|searche?s?|quer(?:y|ies)|files?|previews?|thumbnails?|jobs?|builds?|recordings?|"
    r"events?|records?|data|charts?|sessions?|storefronts?|envelopes?|parcels?|tracking|timesheets?|"
    r"codes?|logs?|invitations?|apps?|checkout|authori[sz]ations?|everyone|anyone|nobody|no one|"
    r"api calls?|keys?|projects?|traffic)\b"
)
PEOPLE = _rx(
    r"\b(?:customers?|users?|merchants?|shoppers?|clinicians?|patients?|subscribers?|clients?|you|your|"
    r"tenants?|workspaces?|accounts?|agents?|developers?|integrations?|everyone|anyone|nobody|no one|"
    r"admins?|members?|teams using|stores?|sellers?|buyers?|partners?)\b(?!\s+(?:queue|cluster|service|node))"
)
CONSEQUENCE = _rx(
    r"\b(?:cannot|can't|can ?not|unable|not able|could not|couldn't)\b",
    r"\b(?:may|might|could|will|would) (?:still )?(?:see|experience|notice|fail|not|need|be|take|show)\b",
    r"\b(?:are|is|were|was) (?:still |currently |now )?(?:seeing|experiencing|failing|taking|stuck|delayed|"
    r"not|being|unable|returning|slow|unavailable|shown|declined|returned|dropped|lost|late|queueing)\b",
    r"\b(?:fail(?:s|ed|ing)?|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|unaffected|lost|delayed|late|stuck|"
    r"returned|returning|saw|seeing|got|received|showed|declined|dropped|crash\w*|timed out|"
    r"unavailable|logged out|signed out|exposed|take up to|queueing|empty|show(?:s|ing)?|display(?:s|ing)?|"
    r"stall\w*|hang(?:s|ing)?|freez\w*)\b",
    r"\b(?:no|not) (?:customer |user )?(?:impact|affected|impacted)\b",
    r"\b(?:did not|didn't|do not|don't|does not|doesn't|will not|won't) (?:\w+ ){0,2}?"
    r"(?:connect|load|arrive|work|start|open|sync|appear|send|save|complete)\b",
    r"\b(?:waited|had to wait|were charged|was charged|charged twice|bounced|rejected|missing)\b",
    r"\bno \w+(?: \w+)? (?:was|were|has been|have been|will be) (?:lost|exposed|made|affected)\b",
)

ETA_VERB = _rx(
    r"\b(?:expect(?:s|ed|ing)?|estimat(?:e|es|ed|ing)|anticipat\w+|should|will take|takes|to take|"
    r"aim(?:ing)? to|target(?:ing)?|projected|eta|on track|likely|probably|hopefully|going to|take|"
    r"hope to|within|will be|should be|to be back|normal again)\b"
)
NO_ESTIMATE = _rx(
    r"\b(?:no|without an?|(?:do not|don't|does not|doesn't) (?:yet )?have an?|"
    r"(?:cannot|can't|can not|unable to|not (?:yet )?able to) (?:yet )?(?:give|provide|share|offer)(?: an?)?)"
    r"\s+(?:\w+\s+){0,2}?(?:estimate|eta|timeline|time ?frame|time to (?:resolution|recovery)|"
    r"resolution time)\b",
    r"\b(?:cannot|can't|unable to|not (?:yet )?able to)\s+(?:yet\s+)?estimate\b",
    r"\b(?:don't|do not) (?:yet )?know (?:yet )?how long\b",
    r"\btoo early to (?:say|estimate|give)\b",
    r"\beta\W{0,3}(?:is\s+)?(?:unknown|tbd|tbc|not known|unclear|n/a)\b",
    r"\b(?:cannot|can't|can not|unable to) (?:yet )?say how long\b",
)

_SUBJECT = (
    r"\b(?:we(?:'ve|'re|’ve|’re)?|our\s+(?:[\w-]+\s+){0,2}?(?:teams?|engineers?|staff|engineering)|"
    r"(?:the\s+)?[\w-]{1,40}\s+team|engineers?|engineering|on-call(?:\s+engineers?)?)"  # bounded: linear
)
_AUX = (
    r"(?:\s+(?:have|has|had|are|is|were|was|been|now|also|already|just|then|quickly|immediately|"
    r"currently|actively|still|and|since|successfully|continuing to))*"
)
PAST_ACTION = (
    r"(?:rolled back|reverted|restarted|rebooted|scaled(?: up| out)?|failed over|added|moved|shifted|"
    r"switched|disabled|enabled|paused|blocked|re-?routed|replaced|removed|re-?issued|identified|traced|"
    r"engaged|escalated|paged|applied|deployed|fixed|corrected|restored|re-?queued|raised|increased|"
    r"doubled|expanded|reproduced|contacted|opened|reviewed|checked|tested|rebuilt|re-?imported|"
    r"re-?played|reconciled|cleared|regenerated|backfilled|resent|re-?ran|mitigated|isolated|patched|"
    r"purged|flushed|drained|migrated|throttled|provisioned|spun up|verified|confirmed|stopped|shut down|"
    r"processed|implemented|completed|returned|resolved|updated|recovered|tried|attempted|turned|started|"
    r"published|refunded|routed|finished|installed|sent|re-?sent|re-?indexed|rolled out|released|"
    r"removed|stopped|put|set up|brought|created|notified|informed|worked|begun|began)"
)
ONGOING_ACTION = (
    r"(?:investigat\w+|looking into|rolling back|reverting|restarting|scaling|failing over|adding|moving|"
    r"shifting|switching|disabling|paus\w+|blocking|rerouting|replacing|removing|identifying|tracing|"
    r"engaging|escalating|applying|deploying|fixing|correcting|restoring|requeu\w+|raising|increasing|"
    r"expanding|contacting|working|reviewing|checking|testing|rebuilding|re-?importing|re-?playing|"
    r"reconciling|clearing|regenerating|backfilling|resending|mitigating|isolating|patching|purging|"
    r"draining|migrating|monitoring|verifying|processing|implementing|on it|helping|analy[sz]ing|routing|"
    r"sending|installing|refunding|publishing|preparing|re-?indexing|replaying|watching|starting|"
    r"rolling out|releasing|tuning|upgrading|running)"
)
ACTIONS_TAKEN = _rx(
    rf"{_SUBJECT}{_AUX}\s+(?:{PAST_ACTION}|{ONGOING_ACTION})\b",
    r"^\W*(?:rolled back|reverted|restarted|rebooted|scaled(?: up| out)?|failed over|switched|disabled|"
    r"paused|re-?routed|replaced|applied|deployed|patched|added|moved|increased|raised|cleared|rebuilt|re-?ran|"
    r"purged|flushed|drained|throttled|identified|escalated|paged|engaged)\b(?!\s+(?:by|to)\b)",
    rf"^\W*{ONGOING_ACTION}\b",
    r"\b(?:is|are) (?:now )?being (?:installed|rebuilt|restored|replaced|fixed|deployed|rolled back|"
    r"re-?processed|re-?sent|retried|re-?indexed|repaired|migrated|moved|cleared|replayed)\b",
    r"\b(?:has|have) been (?:re-?established|installed|replaced|rebuilt|deployed|applied|restarted|"
    r"rolled back|reverted|scaled|added|moved)\b",
    r"\b(?:while|as) we(?:'re| are)?\s+(?:\w+ing|test|investigate|work|roll|deploy|apply|monitor|verify|"
    r"rebuild|restore|fix|replay|clear|drain|scale|migrate)\b",
    r"\b(?:fix|patch|rollback|roll-back|mitigation|workaround|change|deployment|release|update)\w*\b[^.]{0,60}?"
    r"\b(?:has been|have been|was|were)?\s*(?:deployed|applied|rolled back|reverted|released|rolled out|"
    r"in place|shipped)\b",
)
CORRECTIVE = _rx(
    rf"{_SUBJECT}{_AUX}\s+{PAST_ACTION}\b",
    r"\b(?:restored|recovered|resolved|fixed|mitigated) (?:\w+ ){0,3}?by\b",
    r"\bto (?:restore|recover|fix|mitigate)\b[^.]{0,40}\bwe\b",
)

FUTURE_MARKER = re.compile(
    r"\b(?:we(?:\s+will|'ll|’ll|\s+are going to|'re going to|\s+plan to|\s+intend to)|"
    r"(?:and|then)\s+will|next,?\s+we(?:'ll|\s+will)?|our next step is to|"
    r"(?:the|our)\s+(?:[\w-]+\s+)?team\s+will|engineers\s+will)\s+",
    re.IGNORECASE,
)
COMMUNICATION_CLAUSE = re.compile(
    r"^(?:(?:also|then|now|continue to|keep|be sure to)\s+)?(?:post|share|send|provide|give|publish|issue|"
    r"update|notify|inform|let you know|keep you|be in touch|get back|follow up|communicate|announce|"
    r"confirm)\b.*\b(?:update|updates|you|results|one|estimate|eta|what we (?:find|learn|know)|more|"
    r"details|progress)\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r",| and | but | or |;| - | – | — ", re.IGNORECASE)

SUPPORT_ROUTE = _rx(
    r"\b(?:contact|reach(?:\s+out)?(?:\s+to)?|e-?mail|write to|call|message|ping|get in touch with|"
    r"speak (?:to|with)|talk to|let)\s+(?:us\b|our\b|support\b|the support|your (?:account|customer success|"
    r"success|dedicated)|\S+@|\{\{)",
    r"\b(?:support|help|service)\s*(?:portal|line|hotline|helpline|team|desk|center|centre|site|menu|channel)\b",
    r"\bhelp ?(?:center|centre|desk)\b",
    r"\bsupport (?:is|are) available\b",
    r"^\W*(?:support|need help|need assistance|questions)\W*[:?]",
    r"(?<!we have )(?<!we've )(?<!we )\b(?:open|raise|file|submit|create|log)\s+(?:a|an|the)?\s*(?:\w+\s+)?"
    r"(?:ticket|case|support request)\b",
    r"\bstatus ?page\b|\bstatus\.[\w-]+\.[a-z]{2,}\b",
    r"\b(?:account|customer success|success) (?:manager|team)\b",
    r"\breply to this (?:e-?mail|message|thread)\b",
)
FEEDBACK = _rx(r"\bfeedback\b", r"\breply to this\b", r"\blet us know\b")

NEXT_UPDATE = _rx(
    r"\b(?:next|another|further|final|new|follow-up|fresh)\s+update\b",
    r"\bnext (?:information|news|communication|status|report|post|message|notice|bulletin)\b",
    r"\b(?:post|write|report|check in|be back in touch) again\b",
    r"\bupdates?\s+(?:you|this|again|here|the status page|every|each)\b",
    r"\b(?:post|share|send|provide|give|publish)\s+(?:an?|our|the)?\s*(?:\w+\s+)?updates?\b",
    r"\b(?:share|post|send|provide|give)\s+more\b",
)

RESOLUTION = _rx(
    r"\b(?:has|have|had) been (?:fully |now )?(?:resolved|fixed|restored|mitigated)\b",
    r"\b(?:is|are) (?:now )?(?:fully )?(?:resolved|fixed|restored)\b",
    r"^\W*resolved\b",
    r"\b(?:operating|working|running|loading|behaving|processing|performing) (?:normally|as expected)\b",
    r"\b(?:loading|working|processing|flowing|running|being sent|connecting) again\b",
    r"\bback to (?:normal|zero)\b",
    r"\bfully (?:operational|recovered|restored)\b",
    r"\bclos(?:e|ed|ing) (?:this|the) incident\b",
    r"\bservice (?:has been |is )?restored\b",
    r"\bhas been normal\b",
    r"^\W*all clear\b",
    r"\b(?:starting|connecting|arriving|syncing|sending|flowing|being delivered|loading) "
    r"(?:normally|again)\b",
)

ROOT_CAUSE = _rx(
    r"\broot[- ]?causes?\b(?![- ]analys)",
    r"\b(?:caused|triggered|introduced) by\b",
    r"\bcaused\b",
    r"\bbecause\b",
    r"\bdue to\b",
    r"\bthe cause\b",
    r"\bstemm?(?:ed|s) from\b",
    r"\bresult(?:ed)? (?:of|from)\b",
    r"\b(?:began|started|happened) (?:when|after|because)\b",
    r"\breason (?:for|was|is)\b",
)
PREVENTIVE = _rx(
    r"\bprevent(?:ive|ative|ion|ing|s)?\b",
    r"\brecurr(?:ence|ing)\b|\brepeat\b",
    r"\b(?:going forward|in the future|from now on|longer[- ]term)\b",
    r"\b(?:cannot|can't|won't|will not|does not|doesn't|never) (?:\w+ ){0,2}?"
    r"(?:happen|ship|recur|occur|take|go)\b[^.]{0,300}\bagain\b",  # bounded: linear
    r"\bwe(?: are|'re| will|'ll)(?: now| also)? (?:adding|introducing|implementing|improving|add|introduce|"
    r"implement|improve|automat\w+|requir\w+|enforc\w+|restrict\w*|run|build|audit\w*|reduc\w+)\b",
    r"\bnow (?:requires?|tracked|validated|automated|enabled|pages?|verified|alerts?)\b",
)
