"""Cues for the pieces of resolution notices and post-incident reports, read per sentence:
resolution confirmed, root cause, corrective actions, preventive measures.

Each is a positive cue *and* the absence of the frames that turn it into something else:

- a resolution said in a condition or a promise ("once it is fully resolved", "before we close this
  incident", "we will confirm when") or with a hedge ("should now be resolved") is not confirmed;
- a cause that is still unknown ("we have not yet found the root cause", "a root cause analysis is
  under way", "we will share the cause") is not a root cause, and neither is an effect ("the outage
  caused delays", "due to the incident, orders were late");
- a promise to share a plan ("we will share our prevention plan") is not a preventive measure.
"""

from bot.comms.required_cues import _SUBJECT, PAST_ACTION, _rx
from bot.comms.speculation import HEDGE_RE

_GENERIC = r"(?:incident|outage|issue|problem|disruption|interruption|event|degradation)"

RESOLUTION = _rx(
    r"\b(?:has|have|had) been (?:fully |now |successfully )?(?:resolved|fixed|restored|mitigated|solved)\b",
    r"\b(?:is|are) (?:now )?(?:fully |completely )?(?:resolved|fixed|restored|solved|over)\b",
    r"^\W*(?:resolved|fixed|all clear|all good|back up|we(?:'re| are) back)\b",
    r"\b(?:operating|working|running|loading|behaving|processing|performing|functioning|responding) "
    r"(?:normally|as expected|as normal)\b",
    r"\b(?:work|load|run|connect|flow|sync|arriv|print|succeed|process|display|deliver|function|respond|"
    r"upload|download|render|go(?:es|ing)? through)\w*\s+"
    r"(?:(?:normally|correctly|as expected)(?:\s+(?:again|now))?|again)\b",
    r"\b(?:show|appear|open|send|start)\w*\s+(?:normally|correctly|as expected)\b",
    r"\bback to (?:normal|zero|full (?:speed|capacity|service))\b",
    r"\b(?:back|up) and running\b|\bback online\b",
    r"\b(?:is|are) (?:now |fully )?back\b(?! (?:in|to|from|on|at|off|with)\b)",
    r"\bfully (?:operational|recovered|restored|functional|available)\b",
    r"\bclos(?:e|ed|ing) (?:this|the) incident\b",
    r"\b(?:consider|declare|mark|marking|marked|considering) (?:this|the) (?:incident |issue |"
    r"problem )?(?:as )?"
    r"(?:resolved|closed|fixed)\b",
    r"\bwe(?:'ve| have)? (?:now )?(?:resolved|fixed|solved|restored) (?:the|this|that|an?|access|service)\b",
    r"^\W*all (?:green|systems (?:go|normal|operational))\b|\b(?:green|operational) again\b",
    r"\b(?:normal )?service (?:has been |is |was )?(?:fully )?restored\b",
    r"\bhas been normal\b|\breturned to normal\b",
    rf"\b(?:errors?|failures?|timeouts?|delays?|crashes|"
    rf"{_GENERIC}s?)\b[^.;]{{0,60}}?\b(?:stopped|ended|ceased)\b",
    rf"\b(?:the|this) {_GENERIC} is (?:now )?over\b",
)
# a resolution phrase inside a condition, a plan or a promise is not a confirmation
_NOT_YET = _rx(
    r"\b(?:once|when|until|before|if|after|as soon as)\b[^.;]{0,80}?\b(?:is|are|has been|have been|be)\s+"
    r"(?:\w+\s+)?(?:resolved|fixed|restored|normal|over|solved)\b",
    r"\bbefore (?:we|i) (?:close|resolve|mark)\b",
    r"\b(?:once|when|until|before|after|as soon as)\s+we(?:'ve| have)?\s+(?:\w+\s+)?(?:resolved|fixed|"
    r"solved|restored)\b",
    r"\bwill (?:confirm|let you know|update you|tell you|announce)\b",
    r"\b(?:should|ought to|expect(?:ed)? to)\b",
    r"\bnot (?:yet |fully |completely )?(?:resolved|fixed|restored|over|back)\b",
    r"\bstill (?:verifying|checking|confirming|investigating|monitoring|seeing|working)\b",
)


WITHHELD = _rx(
    r"\bwill (?:confirm|let you know|update you|tell you|announce)\b[^.]{0,60}\b(?:once|when|as soon as)\b",
    r"\bbefore (?:we|i) (?:close|resolve|mark)\b",
    r"\b(?:once|until|before) we(?:'re| are) (?:confident|sure|certain)\b",
    r"\bnot (?:yet )?(?:fully |completely )?(?:resolved|fixed|restored)\b",
)
"""A sentence that withholds the confirmation for the whole message ("we will confirm once ...")."""


def resolution_confirmed(sentence: str) -> bool:
    return (
        bool(RESOLUTION.search(sentence)) and not HEDGE_RE.search(sentence) and not _NOT_YET.search(sentence)
    )


ROOT_CAUSE = _rx(
    r"\broot[- ]?causes?\b(?![- ]analys)",
    r"\b(?:caused|triggered|introduced|started|set off|brought on) by\b",
    r"\bbecause\b(?! of (?:the|this) " + _GENERIC + r"\b)",
    r"\bdue to\b(?! (?:the|this) " + _GENERIC + r"\b)",
    r"\bowing to\b",
    r"\b(?:cause|reason|trigger)s? (?:was|were|is|are|turned out to be)\b|\b(?:cause|reason|trigger)\s*[:—–]",
    r"\b(?:was|were|is) (?:the|a|one) (?:\w+ )?(?:cause|reason|trigger)\b",
    r"\bstemm?(?:ed|s|ing) from\b",
    r"\bresult(?:ed|s)? (?:of|from)\b",
    r"\b(?:began|started|happened|occurred|came|arose|appeared) (?:when|after|because|from)\b",
    r"\b(?:coming|came|come|comes) from\b",
    r"\breason (?:for|was|is|of|behind)\b",
    r"\b(?:theory|hypothesis|suspicion|assessment|understanding|finding|conclusion) (?:is|was) that\b",
    r"\btraced (?:\w+ ){0,4}?(?:to|back to)\b",
    r"\boriginated (?:in|from|with|at)\b|\borigin(?:ated)? of\b",
    r"\bunderlying (?:issue|problem|fault|defect|bug|cause)\b",
    r"\b(?:was|were) (?:the )?(?:trigger|culprit|source)\b",
    r"\b(?:led|leading|contributed) to\b",
    r"\b(?:was|were) introduced (?:in|by|with|during|when)\b",
    r"\b(?:misconfigured|faulty|broken|bad|expired|corrupt\w*|failed|full|buggy|wrong|missing)\s+"
    r"(?:[\w-]{1,30}\s+){0,3}?(?:made|caused|led|forced|meant|triggered|stopped|blocked|prevented|took)\b",
    r"\b(?:change|update|deploy\w*|release|rule|bug|setting|config\w*|migration|script|job|certificate|"
    r"limit)\b"
    r"[^.;]{0,100}?,\s*(?:so|which meant|which made|which caused|and so)\b",
    r"\bthe (?:crash(?:es)?|outage|errors?|failures?|problem|issue|delays?|slowdown|bug|timeouts?) "
    r"(?:was|were) "
    r"(?:an?|the result of)\b",
    r"\b(?:triggered|caused|started|began|happened) when\b",
    r"\b(?:failed|failing|broke|crashed|timed out|went down|slowed|errors?|unavailable|unreachable)\b"
    r"[^.;]{0,80}?\bafter (?:its|the|a|an|our|their|one)\b",
    r"(?<!incident )(?<!outage )(?<!issue )(?<!problem )(?<!this )(?<!it )(?<!which )"
    r"\bcaused (?:the|an?|our|all|these|those)\b",
)
_CAUSE_UNKNOWN = _rx(
    r"\bnot (?:yet |been )?(?:yet )?(?:found|identified|determined|confirmed|established|known|clear|"
    r"understood|pinpointed|isolated)\b",
    r"\b(?:did|do|does|have|has) not (?:yet )?(?:find|found|know|identify|identified|determine|determined|"
    r"understand|understood)\b",
    r"\b(?:still|currently|are|is) (?:\w+ )?(?:investigating|analy[sz]ing|looking into|"
    r"working to (?:find|identify|understand|determine)|under investigation|unknown|being investigated)\b",
    r"\b(?:investigation|analysis|review|rca) (?:\w+ ){0,5}?(?:is|are|remains?) (?:still )?"
    r"(?:ongoing|under ?way|in progress|continuing|open)\b",
    r"\broot[- ]?cause analysis\b|\brca\b(?! ?:)",
    r"\b(?:will|to) (?:share|publish|provide|send|confirm|explain|report) (?:\w+ ){0,3}?(?:cause|why)\b",
    r"\b(?:once|when|after|as soon as) we (?:know|have|find|identify|understand|confirm)\b",
    r"\b(?:including|explain\w*|know|find(?: out)?|share|determine|understand|investigat\w+|confirm|"
    r"identify) "
    r"(?:what|why|how) (?:\w+ )?(?:caused|happened|went wrong|triggered|broke)\b",
    r"\bcause (?:is|remains) (?:still )?(?:not|un|to be)\w*\b",
    r"\b(?:still )?to be (?:confirmed|determined|established|identified|found)\b",
    r"(?:^\W*|:\s*)(?:under investigation|being investigated|unknown|tbd|tbc|pending|"
    r"to be (?:confirmed|determined))\b",
    r"\b(?:waiting|wait) for (?:\w+ ){0,4}?(?:report|analysis|findings|rca|explanation)\b",
)


def root_cause(sentence: str) -> bool:
    return bool(ROOT_CAUSE.search(sentence)) and not _CAUSE_UNKNOWN.search(sentence)


def cause_is_unknown(content: str) -> bool:
    """A ``Root cause:`` heading whose content says the cause is not known yet (a hedged cause, "we
    suspect a kernel update", is still a cause given; the speculation check flags the hedge)."""
    return bool(_CAUSE_UNKNOWN.search(content)) and not root_cause(content) and not HEDGE_RE.search(content)


_FIX_VERB = (
    rf"(?:{PAST_ACTION}|cancell?ed|freed|retried|voided|re-?processed|re-?enabled|renewed|rotated|reversed|"
    r"pulled|pinned|promoted|extended|terminated|killed|repaired|reconfigured|re-?submitted|converted|"
    r"generated|unblocked|lifted|re-?deployed|re-?published|re-?started|rescheduled|e-?mailed|undid|"
    r"bought|swapped|upgraded|downgraded|reset|re-?created|recreated|credited|re-?synced|resynced|"
    r"re-?warmed|refreshed|freed up|cleaned up|failed over|fixed|moved|stopped|disabled|shipped|pushed|"
    r"issued)"
)
CORRECTIVE = _rx(
    rf"{_SUBJECT}(?:\s+(?:have|has|had|then|also|quickly|immediately|manually|first))*\s+{_FIX_VERB}\b",
    rf"\b(?:was|were|has been|have been|had been|got)\s+(?:\w+\s+)?{_FIX_VERB}\b",
    r"\b(?:restored|recovered|resolved|fixed|mitigated) (?:\w+ ){0,3}?by\b",
    r"\bto (?:restore|recover|fix|mitigate|resolve)\b[^.]{0,40}\b(?:we|engineers|the team)\b",
    rf"^\W*(?:[a-z][a-z ]{{0,30}}:\s*)?(?:-\s*)?{_FIX_VERB}\b",
)

PREVENTIVE = _rx(
    r"\bprevent(?:ive|ative|ion|ing|s)?\b",
    r"\brecurr(?:ence|ing|s)?\b|\brepeat\b|\b(?:happen(?:ing|s)?|occur(?:ring|s)?) again\b",
    r"\b(?:going forward|in (?:the )?future|for the future|from now on|longer[- ]term|have since)\b",
    r"\b(?:cannot|can't|won't|will not|does not|doesn't|never) (?:\w+ ){0,2}?"
    r"(?:happen|ship|recur|occur|take|go)\b[^.]{0,300}\bagain\b",  # bounded: linear
    r"\bwe(?: are|'re| will|'ll| have since| have| also| now)* (?:adding|introducing|implementing|"
    r"improving|add|introduce|implement|improve|automat\w+|requir\w+|enforc\w+|restrict\w*|run|build|"
    r"audit\w*|"
    r"reduc\w+|alert\w*|chang\w+|mov\w+|split\w*|review\w*|limit\w*|validat\w+|"
    r"document\w*|train\w*|updat\w+ (?:our|the) (?:runbook|process|checklist|playbook)s?)\b",
    r"\bwe (?:also )?(?:added|built|introduced|set up|created|wrote) (?:an? |new |more |extra )?"
    r"(?:[\w-]+ ){0,2}?"
    r"(?:alerts?|alarms?|monitors?|monitoring|checks?|tests?|guards?|limits?|caps?|constraints?|validations?|"
    r"safeguards?|reviews?|approvals?|dashboards?)\b",
    r"\bnow (?:requires?|need|needs|tracked|validated|automated|enabled|pages?|verified|alerts?|has|have|"
    r"uses?|runs?|refuses?|checks?|validates?|monitors?|watch(?:es)?|blocks?|rejects?|tests?|goes|go|"
    r"includes?|fails?|"
    r"enforces?|records?|raises?|warns?|rotates?|retries|limits?|caps?|(?:run|generated|checked|rendered|"
    r"tested|blocked|required|monitored|reviewed|enforced|rotated|limited|part of))\b",
    r"\b(?:action items?|follow-?ups?|lessons learned)\b|\bno longer\b",
    r"\b(?:is|are) now (?!(?:restored|resolved|fixed|back|working|available|normal|recovered|complete|done|"
    r"live|up|online|stable|healthy)\b)[\w-]{2,30}ed\b",
    r"\b(?:second|two|extra|additional) (?:approvals?|reviewers?|pair of eyes|person|sign-?offs?)\b",
    r"\bso (?:that )?(?:this|it|a similar \w+|one \w+) "
    r"(?:cannot|can't|can not|won't|will not|does not|doesn't)\b",
    r"\bso (?:that )?(?:a|any) (?:missing|bad|failed|similar) [\w-]+ (?:fails|is caught|alerts?|pages?)\b",
)
_ONLY_A_PROMISE = _rx(
    r"\b(?:will|to) (?:share|publish|provide|send|present|circulate) (?:\w+ ){0,5}?"
    r"(?:prevention|preventive|preventative|plan|plans|actions|report|measures)\b",
)


def preventive(sentence: str) -> bool:
    return bool(PREVENTIVE.search(sentence)) and not _ONLY_A_PROMISE.search(sentence)
