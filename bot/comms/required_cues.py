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
    r"\b(?:overnight|later today|end of (?:the )?week|noon|midnight|tomorrow|tonight|"
    r"end of (?:the )?(?:day|business)|eod|"
    r"this (?:morning|afternoon|evening))\b",
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    r"\bevery (?:hour|day|half[- ]hour|\d+\s*\w+)\b|\bhourly\b",
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
    r"\b(?:loads?|loading|shows?|showing|opens?|appears?|arrives?|displays?) (?:\w+ )?without\b",
    r"\b(?:did|do|does)(?: not|n't) (?:arrive|load|work|sync|send|connect|open|appear|show|reach|complete)\b",
    r"\b(?:isn't|aren't|wasn't|weren't) (?:\w+ing)\b",
    r"\b(?:incomplete|not right|partial(?:ly)?|break(?:s|ing)?|still (?:take|takes|taking|slow|see|get))\b",
    r"\b(?:locked|logged|signed|kicked|shut) out\b",
    r"\b(?:receiv|gett|see|return|hitt)ing\s+(?:\w+\s+)?(?:\d{3}|errors?|timeouts?)\b",
    r"\b(?:times? out|timing out)\b",
    r"\b(?:other|another|the wrong) (?:customers?|users?|people|patients?|accounts?)['’]s?(?!\w)",
    r"\bnot (?:working|loading|arriving|being|sent|delivered|visible|receiv\w+|available|appearing|showing|"
    r"updating|syncing|confirmed|processed|responding|reachable|accessible|opening|saving|completing|"
    r"printing|"
    r"connecting|going through|published|posted|generated|possible)\b",
    r"\b(?:blank|unreachable|inaccessible|intermittent(?:ly)?|elevated|spikes?|spiked|stopped \w+ing|"
    r"(?:takes?|taking|took) (?:up to|over|more than|longer))\b",
    r"\bno (?:data|results|information)\b",
)

GENERIC_PROBLEM = re.compile(
    r"\b(?:issues?|incidents?|problems?|outages?|disruptions?|interruptions?)\b", re.IGNORECASE
)
"""Nouns that only refer to the incident ("the issue", "this incident") unless qualified."""
_DETERMINERS = (
    r"(?:the|this|an?|that|any|same|our|current|ongoing|earlier|reported|known|whole|still|on|with|of|"
    r"resolve|resolved|fix|fixed|and|is|was|has|have|into|about|for|to|by|from|after|before|major|minor|"
    r"small|brief|further|more|no|in|working|investigating|monitoring|aware|reports?|its|their|your|"
    r"recent|new|possible|potential|underlying|serious|significant|such|an?other|last|today's|yesterday's)"
)
_GENERIC_NOUN = r"(?:issues?|incidents?|problems?|outages?|disruptions?|interruptions?)"
GENERIC_PROBLEM = re.compile(rf"\b{_GENERIC_NOUN}\b", re.IGNORECASE)
"""Nouns that only refer to the incident ("the issue", "this incident") unless qualified."""
QUALIFIED_PROBLEM = re.compile(
    rf"\b(?!{_DETERMINERS}\b)[\w-]{{2,30}}\s+{_GENERIC_NOUN}\b|\b{_GENERIC_NOUN}\s+(?:with|affecting|"
    r"impacting|in|on|of|for|where|that|which|preventing|causing|when|to|at|across)\b",
    re.IGNORECASE,
)

AFFECTED = _rx(
    r"(?<!-)\b(?:transfers?|bookings?|appointments?|shipments?|refunds?|statements?|customers?|users?|"
    r"merchants?|shoppers?|clinicians?|patients?|subscribers?|integrations?|clients?|"
    r"you|your|tenants?|workspaces?|accounts?|agents?|developers?|sign-?ins?|log-?ins?|requests?|"
    r"payments?|transactions?|orders?|calls?|uploads?|downloads?|exports?|e-?mails?|messages?|"
    r"notifications?|alerts?|reminders?|reports?|pages?|dashboards?|webhooks?|deliveries|renewals?|"
    r"invoices?|payouts?|searche?s?|quer(?:y|ies)|files?|previews?|thumbnails?|jobs?|builds?|recordings?|"
    r"events?|records?|data|charts?|sessions?|storefronts?|envelopes?|parcels?|tracking|timesheets?|"
    r"codes?|logs?|invitations?|apps?|checkout|authori[sz]ations?|everyone|anyone|nobody|no one|"
    r"api calls?|keys?|projects?|traffic|labels?|tickets?|documents?|attachments?|images?|photos?|videos?|"
    r"posts?|calendars?|meetings?|rides?|certificates?|terminals?|stores?|clinics?|reservations?|rooms?|"
    r"sites?|websites?|app|endpoints?|devices?|screens?|forms?|sign-?ups?|riders?|drivers?|visitors?|"
    r"guests?|services)\b(?!\s+(?:system|systems|server|servers|cluster|queue|database|platform|engine|"
    r"backend))"
)
PEOPLE = _rx(
    r"\b(?:customers?|users?|merchants?|shoppers?|clinicians?|patients?|subscribers?|clients?|you|your|"
    r"tenants?|workspaces?|accounts?|agents?|developers?|integrations?|everyone|anyone|nobody|no one|"
    r"admins?|members?|teams using|stores?|sellers?|buyers?|partners?|visitors?|riders?|drivers?|guests?|"
    r"policyholders?|students?|employees?|viewers?|callers?|recipients?|senders?|travell?ers?|passengers?|"
    r"readers?|players?|learners?|owners?|hosts?|clinics?|restaurants?|shops?|dealers?|brokers?|"
    r"investors?)\b(?!\s+(?:queue|cluster|service|node))"
)
CONSEQUENCE = _rx(
    r"\b(?:cannot|can't|can ?not|unable|not able|could not|couldn't)\b",
    r"\b(?:may|might|could|will|would) (?:still )?(?:see|experience|notice|fail|not|need|be|take|show)\b",
    r"\b(?:are|is|were|was) (?:still |currently |now )?(?:seeing|experiencing|failing|taking|stuck|delayed|"
    r"not|being|unable|returning|slow|unavailable|shown|declined|returned|dropped|lost|late|queueing|"
    r"offline|down|"
    r"unreachable|inaccessible)\b",
    r"\b(?:fail(?:s|ed|ing)?|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|unaffected|lost|delayed|late|stuck|"
    r"returned|returning|saw|seeing|got|received|showed|declined|dropped|crash\w*|timed out|"
    r"unavailable|logged out|signed out|exposed|take up to|queueing|empty|show(?:s|ing)?|display(?:s|ing)?|"
    r"stall\w*|hang(?:s|ing)?|freez\w*|times? out|timing out)\b",
    r"\b(?:returns?|throws?|gives?) (?:an? )?(?:\w+ )?(?:errors?|\d{3}s?)\b",
    r"\b(?:no|not) (?:customer |user )?(?:impact|affected|impacted)\b",
    r"\b(?:did not|didn't|do not|don't|does not|doesn't|will not|won't) (?:\w+ ){0,2}?"
    r"(?:connect|load|arrive|work|start|open|sync|appear|send|save|complete)\b",
    r"\b(?:waited|had to wait|were charged|was charged|charged twice|bounc\w+|rejected|missing)\b",
    r"\b(?:receiving|getting|hit hardest|hit)\b",
    r"\b(?:break(?:s|ing)?|broke|cut(?:ting)? off|disconnect\w*|dropping|incomplete)\b",
    r"\b(?:isn't|aren't|wasn't|weren't|doesn't|don't|didn't|won't) (?:\w+ing|work\w*|load\w*|open\w*|"
    r"arriv\w*)\b",
    r"\bno \w+(?: \w+)? (?:was|were|has been|have been|will be) (?:lost|exposed|made|affected)\b",
    r"\b(?:take|takes|taking|took)\s+(?:up to|over|more than|longer|around|about|\d)",
    r"\b(?:wait|waits|waiting|waited)\s+(?:up to|over|more than|longer|around|about|for|\d)",
    r"\b(?:loads?|loading|shows?|showing|opens?|appears?|arrives?|displays?) (?:\w+ )?without\b",
    r"\b(?:did not|didn't|does not|doesn't|do not|don't) (?:\w+ )?"
    r"(?:reach|show|display|update|sync|appear)\b",
    r"\b(?:could not|couldn't|cannot|can't) be \w+ed\b|\bnot possible\b|\b(?:blocked|blank|wrong|missing)\b",
)

ETA_VERB = _rx(
    r"\b(?:expect(?:s|ed|ing)?|estimat(?:e|es|ed|ing)|anticipat\w+|should|will take|takes|to take|"
    r"aim(?:ing)? to|target(?:ing)?|projected|eta|on track|likely|probably|hopefully|going to|take|"
    r"hope to|within|will be|should be|to be back|normal again|plan(?:s|ning)? to|needs|will need|requires|"
    r"lasts)\b",
    r"\b(?:solved|fixed|resolved|done|ready|finished|complete|restored)\s+(?:by|until|before|at|in|within)\b",
    r"\b(?:is|will be) (?:all )?(?:fine|ok|okay|normal|back|working)\b",
    r"\b(?:for|over) (?:about |around |roughly |approximately |up to )?"
    r"(?:another|the next|a few more|\d+ more)\b",
    r"\b(?:may|might|will|could) (?:still )?(?:see|experience|notice)\b[^.]{0,60}\bfor "
    r"(?:about|around|roughly|approximately|up to|another|the next)\b",
)
NO_ESTIMATE = _rx(
    r"\b(?:no|without an?|(?:do not|don't|does not|doesn't) (?:yet )?have an?|"
    r"(?:cannot|can't|can not|unable to|not (?:yet )?(?:able|in a position) to) (?:yet )?"
    r"(?:give|provide|share|offer)(?: an?)?)\s+(?:\w+\s+){0,2}?(?:estimat\w*|eta|timeline|time ?frame|"
    r"time to (?:resolution|recovery)|resolution time)\b",
    r"\b(?:cannot|can't|unable to|not (?:yet )?able to)\s+(?:yet\s+)?estimate\b",
    r"\b(?:don't|do not) (?:yet )?know (?:yet )?how long\b",
    r"\btoo early to (?:say|estimate|give)\b",
    r"\b(?:share|give|provide|post) an? (?:estimate|eta|timeline)\b[^.]{0,30}?\b(?:as soon as|once|when) we "
    r"(?:have|know|can)\b",
    r"\beta\W{0,3}(?:is\s+)?(?:unknown|tbd|tbc|not known|unclear|n/a)\b",
    r"\b(?:cannot|can't|can not|unable to) (?:yet )?say how long\b",
    r"\b(?:cannot|can't|can not|unable to|not able to) (?:yet )?(?:say|tell|know|predict) when\b",
    r"\bnot (?:yet )?possible to (?:estimate|say|predict|give an? (?:estimate|eta|timeline))\b",
)

_ROLES = (
    r"(?:teams?|engineers?|staff|engineering|developers?|technicians?|admins?|administrators?|operators?|"
    r"sres?|"
    r"specialists?|experts?|colleagues?|support|responders?)"
)
_SUBJECT = (  # bounded: linear
    rf"\b(?:we(?:'ve|'re|’ve|’re)?|our\s+(?:[\w-]+\s+){{0,2}}?{_ROLES}(?:\s+(?-i:[A-Z])[\w-]{{1,30}}){{0,2}}|"
    rf"(?:the\s+)?[\w-]{{1,40}}\s+team|engineers?|engineering|developers?|technicians?|on-call(?:\s+engineers?)?)"
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
    r"removed|stopped|put|set up|brought|created|notified|informed|worked|begun|began|pulled|redeployed|"
    r"re-?deployed|rotated|renewed|cancell?ed|retried|re-?tried|booked|generated|reversed|re-?enabled|"
    r"pinned|promoted|freed|repaired|reconfigured|ran|took|made|rebuilt|swapped|found|upgraded|downgraded|"
    r"changed|modified|adjusted|tuned|lowered|extended|taken|given|run|shut|cut over)"
)
ONGOING_ACTION = (
    r"(?:investigat\w+|looking into|rolling back|reverting|restarting|scaling|failing over|adding|moving|"
    r"shifting|switching|disabling|paus\w+|blocking|rerouting|replacing|removing|identifying|tracing|"
    r"engaging|escalating|applying|deploying|fixing|correcting|restoring|requeu\w+|raising|increasing|"
    r"expanding|contacting|working|reviewing|checking|testing|rebuilding|re-?importing|re-?playing|"
    r"reconciling|clearing|regenerating|backfilling|resending|mitigating|isolating|patching|purging|"
    r"draining|migrating|monitoring|verifying|processing|implementing|on it|helping|analy[sz]ing|routing|"
    r"sending|installing|refunding|publishing|preparing|re-?indexing|replaying|watching|starting|"
    r"rolling out|releasing|tuning|upgrading|running|retrying|confirming|rotating|renewing|re-?deploying|"
    r"redeploying|pulling|booking|looking (?:for|at)|regenerating|recreating|repairing|reconfiguring|"
    r"rebooting|reprocessing|re-?processing|re-?running|rerunning|re-?trying|coordinating|liaising|"
    r"responding|"
    r"handling|dealing with|addressing|tackling|triaging)"
)
_NOT_AN_ACTION = (
    r"(?:noticed|received|seen|saw|expected|wanted|hoped|believed|thought|suspected|noted|observed|"
    r"experienced|learned|learnt|apologi[sz]ed|regretted|failed|missed|lost|become|been|had|heard|"
    r"seeing|experiencing|expecting|hoping|sorry|aware|unable|not|going|planning|continuing|able|"
    r"getting|receiving|having|still|here|happy|glad|pleased|writing|reaching|sending you|sharing)"
)
ACTIONS_TAKEN = _rx(
    rf"{_SUBJECT}{_AUX}\s+(?:{PAST_ACTION}|{ONGOING_ACTION})\b",
    rf"\bwe(?:'ve|’ve| have| had)?(?:\s+(?:also|already|just|then|now|quickly|immediately|manually|since))*"
    r"\s+"
    rf"(?!{_NOT_AN_ACTION}\b)[a-z][a-z-]{{2,20}}ed\b",
    rf"\bwe(?:'re|’re| are)(?:\s+(?:also|now|currently|actively|already|urgently))*\s+"
    rf"(?!{_NOT_AN_ACTION}\b)[a-z][a-z-]{{2,20}}ing\b",
    r"\b(?:was|were|has been|have been|had been|is being|are being)\s+(?:\w+\s+)?(?:added|restarted|"
    r"rolled back|reverted|deployed|applied|moved|shifted|scaled(?: up| out)?|increased|replaced|disabled|"
    r"paused|re-?routed|failed over|patched|cleared|purged|isolated|escalated|engaged|contacted|notified|"
    r"re-?sent|rebuilt|redeployed|re-?deployed|rotated|renewed|pulled|removed|doubled|provisioned|"
    r"re-?processed|re-?queued|re-?tried|retried|re-?played|implemented|put in place|taken offline|drained|"
    r"reconfigured|mitigated|rerun|re-?run|re-?indexed)\b",
    r"\bwe (?:are |have been )?(?:already |now )?in (?:contact|touch) with\b",
    rf"\band (?:we )?(?:are|'re) (?:now |currently |also )?{ONGOING_ACTION}\b",
    rf"\band (?:we )?(?:have|'ve) (?:now |already |also )?{PAST_ACTION}\b",
    r"\b(?:deploy(?:ment)?|release|change|update|config(?:uration)?|traffic|service|node|server|cluster|"
    r"database|fix|patch|migration|locks?|cache|flag|jobs?|queue|index|certificate|key|workers?|pods?)s?\s+"
    r"(?:was |were |has been |have been )?(?:cleared|rolled back|reverted|restarted|"
    r"redeployed|failed over|moved|deployed|applied|patched|replaced|scaled)\b",
    r"\b(?:since|after) (?:our|the) "
    r"(?:fix|patch|rollback|roll-back|restart|change|deploy(?:ment)?|failover)\b",
    r"\bwe (?:already |now )?(?:move|restart|switch|roll back|redeploy|repair|reinstall|rebuild) "
    r"(?:the|all|our|every|it|them|traffic)\b",
    r"\b(?:replay|re-?process|rebuild|restor|migration|backfill|re-?index|rollback|roll-?out|failover|"
    r"re-?sync|"
    r"recovery|clean-?up|deploy)\w*\b[^.]{0,40}?\b(?:is|are|has been|was)\s+(?:now\s+)?(?:\d+\s?%\s+)?"
    r"(?:complete|completed|done|finished|under ?way|in progress|running|started|progressing|halfway)\b",
    r"^\W*(?:[a-z][a-z -]{0,30}:\s*)?(?:pulled|redeployed|rotated|renewed|cancell?ed|retried|regenerated|"
    r"re-?sent|reprocessed|restored|re-?enabled|removed|fixed|corrected|reset|upgraded|failed over|"
    r"traffic (?:shifted|moved)|capacity (?:added|raised|increased))\b",
    r"^\W*(?:[a-z][a-z -]{0,30}:\s*)?(?:rolled back|reverted|restarted|rebooted|scaled(?: up| out)?|"
    r"failed over|switched|disabled|"
    r"paused|re-?routed|replaced|applied|deployed|patched|added|moved|increased|raised|cleared|rebuilt|"
    r"re-?ran|"
    r"purged|flushed|drained|throttled|identified|escalated|paged|engaged)\b(?!\s+(?:by|to)\b)",
    rf"^\W*(?:[a-z][a-z -]{{0,30}}:\s*)?{ONGOING_ACTION}\b",
    r"\b(?:is|are) (?:now )?being (?:shipped|released|rolled out|pushed|applied|tested|prepared|installed|"
    r"rebuilt|restored|replaced|fixed|deployed|rolled back|"
    r"re-?processed|re-?sent|retried|re-?indexed|repaired|migrated|moved|cleared|replayed)\b",
    r"\b(?:has|have) been (?:re-?established|installed|replaced|rebuilt|deployed|applied|restarted|"
    r"rolled back|reverted|scaled|added|moved)\b",
    r"\b(?:while|as) we(?:'re| are)?\s+(?:\w+ing|test|investigate|work|roll|deploy|apply|monitor|verify|"
    r"rebuild|restore|fix|replay|clear|drain|scale|migrate)\b",
    r"\b(?:fix|patch|rollback|roll-back|mitigation|workaround|change|deployment|release|correction|"
    r"update)\w*\b[^.]{0,60}?"
    r"\b(?:has been|have been|was|were)?\s*(?:deployed|applied|rolled back|reverted|released|rolled out|"
    r"in place|shipped|live|in review|under review|being reviewed|in testing|submitted)\b",
)
FUTURE_MARKER = re.compile(
    r"\b(?:we(?:\s+will|'ll|’ll|\s+are going to|'re going to|\s+plan to|\s+intend to|"
    r"(?:'re|\s+are) planning to)|"
    r"the plan is to|(?:our|the) next steps? (?:is|are|will be)(?: to)?|^\W*next\s*[:—–-]|"
    r"\band (?:then )?(?:plan|intend|aim) to|\bafter(?:wards|,| that,?| this,?)\s*we(?:'ll|\s+will)?|"
    r"(?:and|then)\s+will|next,?\s+we(?:'ll|\s+will)?|our next step is to|"
    r"(?:the|our)\s+(?:[\w-]+\s+)?team\s+will|engineers\s+will)\s+",
    re.IGNORECASE,
)
COMMUNICATION_CLAUSE = re.compile(
    r"^(?:(?:also|then|now|continue to|keep|be sure to)\s+)?(?:keep you (?:posted|informed|updated)\b|"
    r"(?:write|post|report|check in|be back|update you) again\b|"
    r"(?:post|share|send|provide|give|publish|issue|"
    r"update|notify|inform|let you know|keep you|be in touch|get back|follow up|communicate|announce|"
    r"confirm)\b.*\b(?:update|updates|you|results|one|estimate|eta|what we (?:find|learn|know)|more|"
    r"details|progress|page|here|this page|status page|notice|post|incident)\b)",
    re.IGNORECASE,
)
FUTURE_PASSIVE = re.compile(  # "failed data will be backfilled automatically": a step, even without "we"
    r"\b(?:will be|is going to be|are going to be) (?:\w+ly )?(?:backfilled|re-?sent|retried|replayed|"
    r"re-?processed|re-?run|restored|migrated|cleaned up|refunded|corrected|fixed|rolled out|deployed|"
    r"released|"
    r"re-?indexed|rebuilt|replaced|moved back|reconciled)\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r",| and | but | or |;| - | – | — ", re.IGNORECASE)
