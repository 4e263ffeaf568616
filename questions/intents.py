"""Intent recognition: weighted cue patterns plus a little grammar.

Each intent has cue patterns (stems and phrases, on folded text with the
account mention replaced by ``@acct``); a pattern adds its weight once. Then:

- an account in the question moves workspace intents to their one-account
  counterparts (MRR -> account_summary, or account_mrr_trend with trend words
  or a multi-month period; overdue/failed -> payment_status; ...);
- without an account, one-account intents fall back to workspace ones;
- nothing scoring at least ``MIN_SCORE`` -> ``unknown``, with the closest
  intents as suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from questions.query import Intent
from questions.vocabulary import (
    COMMON_WORDS,
    OFFICE_WORDS,
    UNSUPPORTED_METRICS,
    expand_abbreviations,
    tokens_with_spans,
)

MIN_SCORE = 2.0
# A cue this strong is a clear question even if it also names a metric we lack.
STRONG_SCORE = 4.0
# Cue words worth correcting when misspelt (only words of five letters or more).
KEYWORDS = tuple(sorted(w for w in COMMON_WORDS if len(w) >= 5 and w.isalpha()))
ACCOUNT_PLACEHOLDER = "acctx"
# Short cue words: fuzzy ratios are meaningless at this length, so only a swap of two
# adjacent letters ("hlep", "rsik") or one dropped letter ("trnd", "chrn") is corrected.
SHORT_KEYWORDS = (
    "help",
    "what",
    "risk",
    "trend",
    "churn",
    "owe",
    "owes",
    "owed",
    "top",
    "new",
    "trial",
    "renew",
    "fail",
    "much",
    "many",
)

_W = r"(?:\w+[\s-]+){0,4}?"  # up to four words in between

CUES: dict[Intent, list[tuple[str, float]]] = {
    Intent.OVERDUE_ACCOUNTS: [
        (
            r"\boverdue\b|\bover[\s-]+due\b|\bpast[\s-]*due\b|\bdelinquen\w*|\barrears?\b|\bunpaid\b|\boutstanding\b"
            r"|\bowe[sd]?\b|\bowing\b|\breceivables?\b|\bdunning\b|\bcollections?\b|\bunsettled\b"
            r"|\bbad debt\b|\bnot (been )?paid\b|\b(?:haven't|hasn't|have not|has not|didn't"
            r"|did not"
            r"|yet to|still to|not yet) (?:been )?pa(?:id|y)\b|\bage?ing\b|\boverdues\b",
            3.0,
        ),
        (r"\blate\b|\blatest payers?\b|\bslow payers?\b|\bbehind\b|\bchase\b|\bchasing\b", 2.0),
        (r"\b(?:worst|slowest|bad|late|problem) (?:payers?|debtors?|offenders?|accounts?)\b", 3.0),
        (r"\bdebts?\b|\bdebtors?\b|\bowed money\b|\bmoney owed\b", 3.0),
        (r"\bopen (?:invoices?|balances?|bills?)\b|\bpast (?:their |the |its )?due dates?\b", 2.0),
        (r"\bbalances?\b|\bdue\b", 1.0),
    ],
    Intent.FAILED_PAYMENTS: [
        (
            r"\bfail(?:ed|ing|ure|ures|s)?\b|\bdeclin(?:ed|es|e|ing)\b|\bbounced?\b"
            r"|\bunsuccessful\b"
            r"|\brejected\b|\bdid(?:n't| not) go through\b|\bchargebacks?\b|\bcard (?:errors?"
            r"|issues?"
            r"|problems?)\b|\bpayment (?:errors?|issues?|problems?)\b|\bbounces\b",
            3.0,
        ),
        (r"\bretr(?:y|ies|ied)\b|\bdunning\b", 1.0),
    ],
    Intent.ARR_AT_RISK: [
        (
            r"\bat[\s-]*risk\b|\bat stake\b|\bin danger\b|\bin jeopardy\b|\bjeopardi[sz]ed\b"
            r"|\bexposure\b|\b(?:likely|liable) to (?:churn|cancel|leave)\b"
            r"|\b(?:could|might) (?:churn|cancel|leave)\b",
            6.0,
        ),
        (
            r"\brisk\w*\b|\bthreat\w*|\bexposed\b|\b(?:could|might|may) (?:we )?lose\b"
            r"|\bvulnerable\b",
            3.0,
        ),
    ],
    Intent.MRR_TOTAL: [
        (
            r"\bmrr\b|\barr\b|\brecurring revenue\b|\brun[\s-]*rate\b|\brevenue\b|\bannuali[sz]ed\b"
            r"|\bbook of business\b|\bhow much (?:are|do) we (?:make|making|bring|earn|bill)\w*"
            r"|\bincome\b|\bsales\b|\bmonthly (?:billing|income|revenue)\b",
            2.0,
        ),
        # A head count of the paying book ("how many paying customers do we have").
        (
            r"\b(?:how many|number of|count of) (?:active |paying |current |live |paid )*"
            r"(?:customers|clients|accounts|subscribers|subscriptions|logos)"
            r"(?: (?:do|does) (?:we|you) (?:currently |still )?have| are (?:there|active|paying"
            r"|live)| have we got| we have)?(?: (?:right now|now|today|currently|in total|total"
            r"|overall|at the moment))?(?: (?:please|pls|thanks|thank you))?\W*$",
            2.5,
        ),
        # What an account pays now ("how much is Acme paying us", "what does Acme pay a
        # month"): its MRR. Past tense ("how much has Acme paid") is lifetime revenue.
        (
            r"\b(?:how much|what)\b(?:\W+\w+){0,6}?\W+(?:is|are|was|were|does|do)\b"
            r"(?:\W+\w+){0,4}?\W+(?:pay|paying|spend|spending|worth|bring(?:ing)? in)\b"
            r"(?!\s+(?:status|on time|their|its|the))"
            r"|\b(?:pays?|paying|spends?|spending|bills?|billing|charged?|charging|brings? in"
            r"|bringing in|worth)\b(?!\s+(?:us\s+)?the\s+(?:most|least))[^.?!]{0,40}?"
            r"(?:\b(?:each|every|per|a)\s+(?:month|year)\b"
            r"|\bmonthly\b|/\s?mo(?:nth)?\b)|\bmonthly (?:spend|payment|fee|bill)\b",
            8.0,  # beats "paying us" (payment status): an amount is asked for
        ),
    ],
    Intent.MRR_TREND: [
        (
            r"\btrend\w*|\bover time\b|\bhistory\b|\bhistorical\w*|\bchart\w*|\bgraph\w*|\bplot\w*"
            r"|\bby month\b|\bmonth[\s-]+(?:by|over|on)[\s-]+month\b|\bby week\b|\bweekly\b"
            r"|\bweek[\s-]+(?:by|over|on)[\s-]+week\b"
            r"|\b(?:mrr|arr|revenue|growth) mom\b|\bmom (?:growth|change|mrr|arr|revenue|trend)\b"
            r"|\bmonthly (?:breakdown|view|numbers|figures|series)\b"
            r"|\bevol\w+|\bgrow(?:n|th|ing)?\b|\bprogress\w*|\btrajectory\b|\btimeline\b"
            r"|\bchanged? over\b|\bhow has\b|\bmonth[\s-]end\b|\bdevelop\w*|\bover the (?:months"
            r"|year|quarters?)\b|\bmonth[\s-]to[\s-]month\b|\bsparkline\b|\btrended\b",
            3.0,
        ),
        # Comparisons with an earlier period ("vs last year", "year over year").
        (
            r"\b(?:vs\.?|versus|compared (?:to|with)|against) (?:the |a )?(?:last|previous|prior"
            r"|same) (?:year|month|quarter|week)\b|\b(?:year|month|quarter)[\s-]+over[\s-]+"
            r"(?:year|month|quarter)\b|\byoy\b|\bqoq\b",
            3.0,
        ),
        # "each month" alone often just means "monthly" ("how much do we bill each month").
        (r"\beach month\b|\bevery month\b|\bper month\b", 1.0),
    ],
    Intent.MRR_MOVEMENTS: [
        (
            r"\bmovements?\b|\bbreakdown\b|\bbridge\b|\bwaterfall\b|\bnet new\b|\breactivat\w*"
            r"|\bexpansions?\b|\bcomponents?\b|\bwhat (?:drove|changed|moved)\b|\bmrr changes?\b"
            r"|\bchanges? (?:in|to|of) (?:mrr|revenue|arr)\b|\bupgraded\b|\bresurrect\w*"
            r"|\bnew (?:vs|versus|and) (?:churn|lost|expansion)\w*|\bins and outs\b|\bflows?\b"
            r"|\bexpanded\b|\bbreak(?:s|ing)? (?:it )?down\b|\bwhat moved\b|\bmoved (?:mrr|arr)\b"
            r"|\bnet (?:change|mrr|arr|movement)\w*|\bcontraction (?:and|vs|versus) \w+",
            3.0,
        ),
        # A movement named with its measure ("new MRR", "expansion ARR").
        (r"\bnew (?:mrr|arr)\b|\b(?:expansion|reactivation) (?:mrr|arr|revenue)\b", 5.0),
        # "paying more than before": MRR that grew (one account: its figures)
        (
            r"\b(?:paying|pays?|spending|spends?)\s+(?:us\s+)?more\s+than\s+(?:before|last"
            r"|previously|earlier|they\s+(?:did|used))\b",
            5.0,
        ),
        # Win-backs are reactivations, not new logos.
        (
            r"\b(?:won|win|came|coming|brought|got) (?:\w+ ){0,2}?back\b|\bwin[\s-]?backs?\b"
            r"|\breturn(?:ed|ing) (?:customers?|clients?|accounts?)\b|\bre[\s-]?subscribed\b",
            5.0,
        ),
    ],
    Intent.CHURN_RATE: [
        (r"\bchurn\w*|\battrition\b|\bretention\b|\bretained\b", 4.0),
        (r"\blost\b|\blose\b|\blosing\b|\bloss\b", 2.0),
        (r"\brate\b|%|\bpercent\w*|\bratio\b|\bhow much\b", 1.0),
    ],
    Intent.TOP_ACCOUNTS: [
        (
            r"\btop\b|\bbiggest\b|\blargest\b|\bhighest[\s-]*paying\b|\bhighest\b|\bmost valuable\b"
            r"|\bbest (?:customers?|clients?|accounts?)\b|\brank\w*|\bleaderboard\b|\bwhales?\b"
            r"|\bbig(?:gest)? (?:spenders?|fish|clients?|customers?|accounts?)\b"
            r"|\bpays? (?:us )?the most\b"
            r"|\bmost (?:mrr|revenue|money)\b|\bsorted by\b|\bsort by\b|\bheaviest\b"
            r"|\bkey accounts?\b"
            r"|\bnumber one\b|#\s?1\b|\bno\.?\s?1\b|\bnumber 1\b"
            r"|\blargest[\s-]paying\b|\bbring in the most\b|\bmost (?:lucrative"
            r"|important|profitable)\b|\bbiggest (?:payers?|logos?)\b|\bsort(?:ed)? \w+ by\b"
            r"|\b(?:mrr|arr|revenue) by (?:customer|account|client)s?\b",
            3.0,
        ),
        # "who pays us in GBP", "clients billed in euros": the accounts of that currency
        (
            r"\b(?:pays?|paying|billed|invoiced|charged) (?:us )?in (?:eur|euros?|usd|dollars?"
            r"|gbp|pounds?|sterling|cad|aud|chf|jpy|sek|nok|dkk)\b",
            3.0,
        ),
        # "list all customers": every account, largest first
        (
            r"\b(?:list|show)(?: me)?(?: all| every| our)?(?: the)?"
            r" (?:customers|clients|accounts)$",
            2.0,
        ),
    ],
    Intent.LIFETIME_REVENUE: [
        (
            r"\blifetime\b|\bltv\b|\bclv\b|\ball[\s-]*time\b|\btotal (?:paid|collected|billed"
            r"|spent|spend"
            r"|spending|payments?|received)\b|\bcollected from\b|\breceived from\b"
            r"|\bpaid (?:us )?(?:in total|overall|so far|to date|altogether)\b|\bspent\b"
            r"|\bhow much (?:has|have|did) " + _W + r"(?:paid|spent|pay|spend|given|brought)\b"
            r"|\bhow much (?:money )?(?:have|did) we (?:made|make|collected?|earned?|get|got)\b"
            r"|\bever paid\b|\bmade from\b|\bearned from\b"
            r"|\bhow much (?:have|did|has) we (?:billed?|invoiced?|charged?)\b"
            r"|\b(?:billed|invoiced|charged|paid|spent) (?:\w+ ){0,4}?(?:overall|in total"
            r"|altogether|to date|all[\s-]time"
            r"|since (?:they|it) (?:started|joined|signed|became))\b"
            r"|\btotal (?:\w+ ){0,4}?(?:has |have )?(?:paid|spent)\b",
            4.0,
        ),
        (
            r"(?<!month )(?<!week )(?<!year )(?<!quarter )\bso far\b|\bin total\b|\bever\b"
            r"|\bof all time\b"
            r"|(?<!year[\s-])(?<!month[\s-])(?<!quarter[\s-])(?<!week[\s-])\bto date\b",
            2.0,
        ),
        (r"\btotal (?:revenue|billings?|sales)\b", 2.0),
        (r"\b(?:paid|spent|given) (?:us )?(?:the )?most\b", 4.0),
        (r"\bcumulative\b|\blifetime\w*|\ball[\s-]*time (?:revenue|spend|value|total)\b", 3.0),
    ],
    Intent.ACCOUNT_INVOICES: [
        (r"\binvoices?\b|\bbills?\b|\breceipts?\b|\bstatements?\b|\bcharges\b", 2.0),
        # "what did Acme pay in February": what was billed and paid then
        (r"\bwhat did\b(?:\W+\w+){1,4}?\W+pay\b", 5.0),
        (
            r"\b(?:billing|payment|invoice|invoicing|charge) history\b|\blast invoice\b"
            r"|\brecent invoices\b"
            r"|\binvoice list\b|\blatest invoices?\b|\bpast invoices\b",
            4.0,
        ),
        # "Acme's open invoices" is a list of invoices; without an account it reads as overdue.
        (
            r"\b(?:open|unpaid|outstanding|unsettled) (?:invoices?|bills?)\b|\b(?:invoices?|bills?)"
            r" (?:that are |which are |still )*(?:open|unpaid|outstanding|not paid)\b",
            2.0,
        ),
    ],
    Intent.PAYMENT_STATUS: [
        (
            r"\bpayment status\b|\bup[\s-]*to[\s-]*date\b|\bgood standing\b|\bpaid up\b"
            r"|\bcurrent on\b"
            r"|\bbehind on\b|\bon time\b|\bpaying (?:us|on time|their)\b|\bhas " + _W + r"paid\b"
            r"|\bdid " + _W + r"pay\b|\bis " + _W + r"paying\b|\bare they paying\b|\bin arrears\b"
            r"|\bgood payer\b|\bbilling status\b|\bpay(?:ing)? status\b|\bstanding\b|\bsettled\b"
            r"|\b(?:did|has|have) (?:\w+ ){0,4}?(?:payments?|card|charges?|invoices?)"
            r" (?:go|gone|went) through\b|\bis " + _W + r"(?:paid up|all paid|clear|square)\b",
            3.0,
        ),
        (r"\bpaid\b|\bpaying\b|\bstatus\b|\bcurrent\b|\bpayments?\b", 1.0),
        (
            r"\bpay (?:(?:their|its|the|his|her|our|that|this) )?(?:(?:last|latest|recent"
            r"|most recent|outstanding|open|overdue) )?(?:invoices?|bills?)\b|\bpaid (?:their|its"
            r"|the|his|her|our|that|this|all|every) (?:(?:last|latest|recent|most recent"
            r"|outstanding|open|overdue) )?(?:invoices?|bills?)\b",
            4.0,
        ),
        # "is Acme ok on payments", "any issues with their billing"
        (
            r"\b(?:ok|okay|fine|good|alright|problems?|issues?|trouble)\s+(?:on|with)\s+"
            r"(?:their\s+|its\s+|the\s+)?(?:payments?|billing|invoices?|bills?)\b",
            3.0,
        ),
        # "why is Acme flagged", "why's Acme in the red", "what's wrong with Acme's account":
        # asking for the reason behind a payment problem.
        (
            rf"\bwhy(?:'s| is| are| does| do| has)? {ACCOUNT_PLACEHOLDER}(?:'s)? (?:\w+ ){{0,2}}?"
            r"(?:flagged|marked|red|failing|failed|delinquent|on hold|blocked|late|behind"
            r"|overdue|past[\s-]*due|in dunning|at risk|a problem|showing)\b"
            rf"|\bwhat(?:'s| is) (?:wrong|the (?:problem|issue)) with {ACCOUNT_PLACEHOLDER}\b",
            3.5,
        ),
        # "Acme's payments", "payments from Acme": the account's payment standing.
        (
            rf"\b{ACCOUNT_PLACEHOLDER}(?:'s)? (?:payments?|paying|billing)\b"
            rf"|\bpayments? (?:from|of|for|by) {ACCOUNT_PLACEHOLDER}\b",
            3.0,
        ),
    ],
    Intent.CANCELLATIONS: [
        (r"\bcancell?(?:ed|ations?)?\b|\bcancels\b", 3.0),
        (
            r"\bleft\b|\bquit\b|\bterminated\b|\bended\b|\bstopped paying\b"
            r"|\bclosed (?:their )?accounts?\b"
            r"|\bunsubscribed\b|\bdropped (?:out|off|us)\b|\bwalked away\b|\bgone\b",
            2.0,
        ),
        (
            r"\b(?:turned|switched|shut) off (?:their |the |its |his |her )?(?:subscriptions?"
            r"|plans?|accounts?|service)\b|\bdeactivated\b|\bchurned out\b",
            3.0,
        ),
    ],
    Intent.SCHEDULED_CANCELLATIONS: [
        # Cancelled but still running until the period ends.
        (
            r"\buntil (?:the |their |its |his |her )?(?:end|renewal|term|period|contract|billing)"
            r"|\b(?:stay|stays|staying|remain|remains|still|keep|keeps)\s+(?:\w+\s+)?(?:active|live"
            r"|on|subscribed|running|paying)\s+(?:\w+\s+)?until\b|\bend dates?\b|\bruns? out\b",
            5.0,
        ),
        (
            r"\bscheduled\b|\bset to (?:cancel|end|expire|churn|leave|lapse|terminate)\b"
            # a cancellation ahead, said as a future: "who's gonna churn", "about to cancel"
            r"|\b(?:going to|gonna|about to|planning to|plan to|due to|will)"
            r" (?:churn|cancel|leave|quit|drop off)\b"
            r"|\b(?:won't|will not|not going to|aren't|are not|isn't|is not|not) (?:be )?renew\w*"
            r"|\bend of (?:\w+ ){0,2}?(?:term|period|cycle|contract|subscription)\b"
            r"|\bcancel(?:s"
            r"|led)? at (?:the )?(?:end of "
            r"(?:the |their )?(?:billing )?(?:period|term|cycle)|period end)\b|\bcancel_at\w*"
            r"|\bpending\b|\bquietly\b|\babout to (?:cancel|leave|churn|quit)\b"
            r"|\bgoing to (?:cancel|leave"
            r"|churn|quit)\b|\bwill (?:cancel|leave|churn|quit)\b|\bplan(?:s|ning)? to (?:cancel"
            r"|leave"
            r"|quit|churn)\b|\bnot renewing\b|\bwon't renew\b|\bwill not renew\b"
            r"|\bnon[\s-]*renew\w*"
            r"|\bauto[\s-]*renew\w* (?:off|disabled)\b|\bturned off auto\w*"
            r"|\bupcoming cancell?ations?\b"
            r"|\bcancell?ing\b|\bleaving\b|\bquitting\b|\bon (?:their|the) way out\b"
            r"|\bgiven notice\b"
            r"|\bhanded in notice\b|\bnotice\b|\bwinding down\b|\bfuture cancell?ations?\b",
            4.0,
        ),
        (
            r"\bnot renew\w*|\bwon't renew\b|\bwill not renew\b|\bnon[\s-]*renew\w*"
            r"|\bauto[\s-]*renew\w*"
            r"|\b(?:won't|will not|not going to|aren't|are not|isn't|is not) (?:be )?renew\w*"
            r"|\b(?:pending|scheduled|upcoming|future|planned|expected|announced|imminent) (?:churn"
            r"|cancell?ations?)\b",
            4.0,
        ),
    ],
    Intent.DOWNGRADES: [
        (
            r"\bdowngrad\w*|\bdown[\s-]?sell\w*|\bcontraction\w*|\bcontracted\b|\breduc\w*"
            r"|\bcut (?:back|down)\b"
            r"|\bcutbacks?\b|\bscal(?:ed|ing) (?:back|down)\b|\bshr[aiu]nk\w*|\bcheaper (?:plan"
            r"|tier)\b"
            r"|\blower (?:plan|tier)\b|\bfewer seats\b|\bremoved seats\b|\bdropped (?:seats"
            r"|plans?|to)\b"
            r"|\bdecreas\w*|\bmoved down\b|\bstepped down\b|\bseat cuts?\b"
            r"|\bcut\w* (?:\w+ )?(?:seats?|licen[cs]es?|users?|plans?|spend\w*|back)\b"
            r"|\b(?:smaller|cheaper|lower|reduced|basic|lesser|lighter) (?:plan|tier|package"
            r"|subscription|contract|edition)s?\b|\b(?:fewer|less) (?:seats|licen[cs]es|users)\b",
            4.0,
        ),
        (r"\b(?:paying|spending|pay|spend|pays|spends) (?:us )?less\b(?! than \S*\d)", 6.0),
    ],
    Intent.UPSELL_CANDIDATES: [
        (
            r"\bup[\s-]*sell\w*|\bcross[\s-]*sell\w*|\bexpansion (?:opportunit\w*|candidates?"
            r"|targets?"
            r"|potential)|\bripe\b|\broom to grow\b|\bready (?:to|for) (?:an? )?(?:upgrade|grow"
            r"|expand|more)\w*"
            r"|\bwhite ?space\b|\bupgrade (?:opportunit\w*|candidates?|targets?|potential)\b"
            r"|\bcould (?:pay|buy|spend) more\b|\b(?:growth|expansion|upgrade|upsell|upside)"
            r" (?:opportunit\w*|candidates?|targets?|potential|prospects?)\b"
            r"|\b(?:pay|buy|spend) (?:us )?more\b(?! than)|\bsell (?:\w+ ){0,2}?more\b"
            r"|\boutgr[eo]w\w*"
            r"|\b(?:bigger|larger|higher|pricier|more expensive|premium|next|better) (?:plans?"
            r"|tiers?|packages?|editions?)\b|\bhitting (?:their |the )?(?:limits?|caps?)\b",
            5.0,
        ),
        (
            r"\bexpand\b|\bupgrade\b|\bupgrades\b|\bgrow (?:them|these|those|accounts?"
            r"|revenue with)\b",
            3.0,
        ),
        (r"\bopportunit\w*|\bcandidates?\b|\bpotential\b|\btargets?\b|\bpitch\b", 1.5),
        (
            r"\b(?:could|should|can|might|would|to) (?:we )?(?:expand|upgrade|upsell|grow|pitch)\b",
            2.0,
        ),
    ],
    Intent.RENEWALS: [
        (r"\brenew\w*|\bup for renewal\b", 5.0),
        (
            r"\bcontracts? (?:ending|expiring|up)\b|\bexpir\w*|\bnext (?:billing|charge)\b"
            r"|\bbilling dates?\b",
            2.0,
        ),
        (r"\bcoming up\b|\bupcoming\b|\bdue\b", 1.0),
    ],
    Intent.TRIALS: [
        (
            r"\btrial\w*|\bfree tier\b|\bevaluating\b|\bpilots?\b|\btrying (?:us|it) out\b"
            r"|\btest[\s-]?driv\w*",
            5.0,
        ),
        (r"\bconvert\w*\b", 1.0),
    ],
    Intent.NEW_CUSTOMERS: [
        (
            r"\bnew (?:paying |paid )?(?:customers?|clients?|accounts?|logos?|subscribers?|signups?"
            r"|sign[\s-]ups?|business|users?|deals?|subscriptions?|wins?)\b|\bnewly\b",
            5.0,
        ),
        (
            r"\bsign[\s-]*ups?\b|\bsigned (?:up|on)\b|\bonboarded\b|\bclosed[\s-]*won\b"
            r"|\bwe (?:won|win)\b|\bwon (?:deals?|accounts?|customers?|clients?|logos?|business)\b"
            r"|\bacquired\b|\bacquisitions?\b|\bjoined\b|\bstarted (?:paying|subscribing)\b"
            r"|\bconverted\b"
            r"|\bfirst (?:payment|invoice|charge)\b|\bgained\b|\bcame on board\b|\bnew ones\b"
            r"|\bwelcomed\b|\bconversions?\b",
            3.0,
        ),
        (
            # ("since they became a customer" only dates something else)
            r"(?<!since they )(?<!since it )(?<!since we )\bbec[ao]me (?:a |our )?(?:new )?"
            r"(?:paying )?(?:customers?|clients?|subscribers?)\b"
            r"|\b(?:started|began|start) (?:paying|subscribing)\b|\bfirst[\s-]time (?:customers?"
            r"|payers?|buyers?)\b|\bconverted to paid\b|\bcame aboard\b|\bnew (?:paying )?"
            r"(?:companies|teams|orgs?|organi[sz]ations)\b",
            5.0,
        ),
        (
            r"\b(?:add|added|adding|gain|gained|land|landed|sign|signed|close|closed|bring on"
            r"|brought on|win|won|onboard(?:ed)?) (?:\w+ ){0,2}?(?:logos?|customers?|clients?"
            r"|accounts?)\b|\b(?:logos?|customers?|clients?|accounts?) (?:did |have |has )?we"
            r" (?:add|added|gain|gained|land|landed|sign|signed|close|closed|win|won|onboard\w*)\b",
            4.0,
        ),
        (r"\bnew\b", 1.0),
    ],
    Intent.ACCOUNT_SUMMARY: [
        (
            r"\bsummar\w*|\boverview\b|\bsnapshot\b|\bprofile\b|\brundown\b|\bdetails?\b|\binfo\w*"
            r"|\btell me (?:about|everything)\b|\bhow (?:is|are|'s|s) "
            + _W
            + r"(?:doing|going|looking)\b"
            r"|\bhow are things\b|\bwhat(?:'s| is) (?:up|going on|new|the story|the deal) with\b"
            r"|\bcheck(?:ing)? (?:in )?on\b|\bquick check\b|\blook(?:ing)? up\b|\bscoop\b"
            r"|\bstatus of\b"
            r"|\bhealth\b|\bdeep dive\b|\bdigest\b|\bbrief\w*|\bfacts?\b|\bkey (?:numbers|figures"
            r"|metrics)\b"
            r"|\bplan\b|\bwhat do we know\b|\bwho(?: is|'s) acctx\b|\bwhat about\b|\bhow about\b"
            r"|\bupdate on\b"
            r"|\bnumbers (?:for|on)\b|\bdashboard\b|\bcard\b|\bpull up\b|\bone[\s-]*pager\b",
            3.0,
        ),
    ],
    Intent.HELP: [
        (
            r"\bhelp\b|\bwhat can you do\b|\bwhat (?:can|should|could) i ask\b"
            r"|\bwhat do you (?:do|know"
            r"|understand|support|answer)\b|\bhow (?:do i|to|can i|should i) (?:use|talk to|ask"
            r"|work with)"
            r"\b|\bcommands?\b|\bexamples?\b|\busage\b|\binstructions\b|\bhow does this work\b"
            r"|\bwho are you\b|\bwhat are you\b|\bcapabilit\w*|\bmenu\b|\bwhat questions\b"
            r"|\bwhat can i ask\b|\bhow do you work\b|\bget started\b|\bfeatures\b|\bguide\b"
            r"|\bwhat can (?:this|the) bot\b|^(?:hi|hello|hey|yo|hiya|help me|\?+|howdy)$"
            r"|^(?:hi|hello|hey|yo|hiya|howdy|greetings)"
            r"(?:\s+(?:there|team|all|everyone|revbot|bot|folks|y'all|friend))?\W*$"
            r"|\bhow (?:does|do) (?:this|the|you|it)(?: \w+)? work\b|\bwhat (?:are|is) (?:you"
            r"|this bot) (?:able|for|good for)\b|\bwhat do i (?:type|ask|say)\b"
            r"|\bwhat (?:kinds?|sorts?|types?) of (?:questions|things|stuff)\b"
            r"|\bdo you understand\b|\bcan you (?:answer|understand)\b"
            r"|\bwhat (?:else )?can (?:you|revbot|the bot|this bot|it) (?:tell|show|answer|do"
            r"|handle|help with)\b|\b(?:can|does|do) (?:you|revbot|the bot|this bot) (?:answer"
            r"|understand|handle|know)\b|\bhow (?:do i|to|can i) (?:use|ask) (?:you|revbot"
            r"|the bot|this bot|this)\b",
            6.0,
        ),
    ],
}
_COMPILED: dict[Intent, list[tuple[re.Pattern[str], float]]] = {
    intent: [(re.compile(p), w) for p, w in cues] for intent, cues in CUES.items()
}

_TREND = _COMPILED[Intent.MRR_TREND][0][0]
_MRR_WORDS = _COMPILED[Intent.MRR_TOTAL][0][0]
_EXPANSION = re.compile(r"\bexpansions?\b|\bexpand\w*|\bupgrades?\b|\bupgraded\b")
_CONTRACTION = re.compile(r"\bcontraction\w*|\bdowngrad\w*")
_NEW_OR_CHURN = re.compile(r"\bnew\b|\bchurn\w*|\breactivat\w*")
_MODAL = re.compile(r"\b(?:could|should|can|might|would)\b(?! you\b)|\b(?:ready|whom?|which)\b")
# A modal about the prospects ("who could we upgrade"), not a request to the bot ("can you").
_MODAL_VERB = re.compile(r"\b(?:could|should|can|might|would|ready)\b(?! you\b)")
_LOST = re.compile(r"\blost\b|\blose\b|\blosing\b|\bloss\b")
_RATE = re.compile(r"\brate\b|%|\bpercent\w*")
_ACCOUNT_WORDS = re.compile(r"\b(?:accounts?|customers?|clients?|who|which)\b")
_WORKSPACE = re.compile(
    r"\b(?:we|us|our|overall|business|company|everything|workspace|total|all)\b"
)
_FUTURE = re.compile(
    r"\b(?:set to|will|going to|gonna|about to|upcoming|pending|scheduled|planned|plan(?:s|ning)?"
    r" to|(?:at )?(?:the )?end of|won't|not renewing|soon)\b"
)
# Intents a bare period must not turn into an MRR trend.
_SPECIFIC = (
    Intent.MRR_MOVEMENTS,
    Intent.CHURN_RATE,
    Intent.ARR_AT_RISK,
    Intent.DOWNGRADES,
    Intent.NEW_CUSTOMERS,
    Intent.CANCELLATIONS,
    Intent.FAILED_PAYMENTS,
    Intent.LIFETIME_REVENUE,
    Intent.UPSELL_CANDIDATES,
)
# Movement kinds: naming two of them together ("new vs churned MRR") asks for the breakdown.
_MOVEMENT_KINDS = (
    re.compile(r"\bnew\b"),
    re.compile(r"\bexpan\w*|\bupgrad\w*"),
    re.compile(r"\bcontraction\w*|\bdowngrad\w*"),
    re.compile(r"\bchurn\w*|\blost\b"),
    re.compile(r"\breactivat\w*"),
)
_KIND_JOIN = re.compile(r"\b(?:vs\.?|versus|and|or)\b|[,&/+]")
# How-to and where-is requests ("how do I add a user", "where is the invoice template")
# ask for instructions or a document, not for billing figures.
_HOW_TO = re.compile(
    r"^(?:hey |hi |so |ok |please )?(?:how (?:do|can|should|would) (?:i|we|you)|how to)"
    r" (?:add|create|set ?up|change|update|connect|install|configure|invite|reset|delete"
    r"|remove|edit|make|send|export|download|upload|turn|enable|disable|cancel|refund|void"
    r"|issue|write|print|log ?in|sign ?in)\b"
    r"|^(?:hey |hi |so |ok |please |can you |could you )?(?:write|compose|draft|sing|make)"
    r" (?:me |us )?(?:a |an |some )?(?:poem|song|story|joke|haiku|limerick|essay|rap|slogan)s?\b"
    r"|^(?:hey |hi |so |ok )?where (?:is|are|can i find|do i find|do we keep|'s)\b"
    r"(?=.*\b(?:template|form|doc|document|file|folder|spreadsheet|sheet|deck|slides?|wiki"
    r"|policy|handbook|link|page)s?\b)"
)
_PAST_CANCEL = re.compile(r"\bcancell?ed\b|\bleft\b|\bquit\b|\blast\b|\bago\b")
_PROGRESSIVE_CANCEL = re.compile(r"\bcancell?ing\b|\bleaving\b|\bquitting\b")

# Intents that have a one-account reading and where they go when an account is named.
_TO_ACCOUNT: dict[Intent, Intent] = {
    Intent.MRR_TOTAL: Intent.ACCOUNT_SUMMARY,
    Intent.MRR_TREND: Intent.ACCOUNT_MRR_TREND,
    Intent.OVERDUE_ACCOUNTS: Intent.PAYMENT_STATUS,
    Intent.FAILED_PAYMENTS: Intent.PAYMENT_STATUS,
    Intent.ARR_AT_RISK: Intent.PAYMENT_STATUS,
    Intent.TOP_ACCOUNTS: Intent.ACCOUNT_SUMMARY,
    Intent.CANCELLATIONS: Intent.ACCOUNT_SUMMARY,
    Intent.SCHEDULED_CANCELLATIONS: Intent.ACCOUNT_SUMMARY,
    Intent.DOWNGRADES: Intent.ACCOUNT_MRR_TREND,
    Intent.MRR_MOVEMENTS: Intent.ACCOUNT_MRR_TREND,
    Intent.CHURN_RATE: Intent.ACCOUNT_SUMMARY,
    Intent.UPSELL_CANDIDATES: Intent.ACCOUNT_SUMMARY,
    Intent.RENEWALS: Intent.ACCOUNT_SUMMARY,
    Intent.TRIALS: Intent.ACCOUNT_SUMMARY,
    Intent.NEW_CUSTOMERS: Intent.ACCOUNT_SUMMARY,
    Intent.UNKNOWN: Intent.ACCOUNT_SUMMARY,
}
# Ties go to the earlier intent.
_PRIORITY = list(Intent)
DEFAULT_SUGGESTIONS = (
    Intent.OVERDUE_ACCOUNTS,
    Intent.MRR_TOTAL,
    Intent.ACCOUNT_SUMMARY,
)


@dataclass(frozen=True)
class IntentResult:
    """The chosen intent, its score (0 when implied only by entities) and runner-ups."""

    intent: Intent
    score: float
    suggestions: tuple[Intent, ...]
    scores: dict[Intent, float]
    raw: Intent = Intent.UNKNOWN  # the best-scoring intent before the account/workspace reading


def correct_typos(text: str) -> str:
    """Replace misspelt cue words ("chrun" -> "churn", "ovedue" -> "overdue")."""
    return " ".join(_corrected(word) for word in text.split(" "))


@lru_cache(maxsize=8192)
def _corrected(word: str) -> str:
    if 3 <= len(word) <= 4 and word.isalpha():
        return _short_corrected(word)
    return _long_corrected(word)


def _short_corrected(word: str) -> str:
    """A short cue word ``word`` is a slip of (one candidate only), or ``word`` itself."""
    if word in COMMON_WORDS or word in OFFICE_WORDS or _is_cue(word):
        return word
    found = {k for k in SHORT_KEYWORDS if _swapped(word, k) or _dropped(word, k)}
    return found.pop() if len(found) == 1 else word


def _swapped(typed: str, word: str) -> bool:
    """``typed`` is ``word`` with two adjacent letters swapped."""
    if len(typed) != len(word) or typed == word:
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typed[diff[0]] == word[diff[1]]
        and typed[diff[1]] == word[diff[0]]
    )


def _dropped(typed: str, word: str) -> bool:
    """``typed`` is ``word`` with one letter left out (never the first)."""
    if len(word) != len(typed) + 1 or typed[:1] != word[:1]:
        return False
    return any(word[:i] + word[i + 1 :] == typed for i in range(1, len(word)))


def _long_corrected(word: str) -> str:
    """The cue word ``word`` is a misspelling of, or ``word`` itself.

    Words that are cues on their own ("whale", "expanded") are never
    "corrected", nor are inflections of a keyword ("expanded" is not "expand").
    """
    if not (5 <= len(word) <= 16 and word.isalpha()) or word in COMMON_WORDS or _is_cue(word):
        return word
    if word == ACCOUNT_PLACEHOLDER or word in OFFICE_WORDS:
        return word
    found = process.extractOne(word, KEYWORDS, scorer=fuzz.ratio, score_cutoff=80)
    # Slips rarely hit the first letter: "sitting" is not a misspelt "quitting".
    if not found or word.startswith(found[0]) or found[0][0] != word[0]:
        return word
    return str(found[0])


def _is_cue(word: str) -> bool:
    return any(pattern.search(word) for cues in _COMPILED.values() for pattern, _ in cues)


def score(
    text: str, *, range_period: bool = False, point_in_time: bool = False, past: bool = False
) -> dict[Intent, float]:
    """Raw cue scores of folded ``text`` (account mention already replaced)."""
    text = correct_typos(expand_abbreviations(text))
    scores: dict[Intent, float] = {}
    for intent, cues in _COMPILED.items():
        total = sum(weight for pattern, weight in cues if pattern.search(text))
        if total:
            scores[intent] = total
    _grammar(text, scores, range_period=range_period, point_in_time=point_in_time, past=past)
    return scores


def _bump(scores: dict[Intent, float], intent: Intent, amount: float) -> None:
    scores[intent] = scores.get(intent, 0.0) + amount


def _grammar(
    text: str,
    scores: dict[Intent, float],
    *,
    range_period: bool,
    point_in_time: bool,
    past: bool = False,
) -> None:
    """Combinations single cues cannot express."""
    has_mrr = bool(_MRR_WORDS.search(text))
    has_trend = bool(_TREND.search(text))
    # A range alone makes "MRR" a trend only when nothing more specific was asked
    # ("MRR bridge for H1" is movements, "churned MRR this year" is churn).
    specific = any(scores.get(intent, 0.0) >= 3.0 for intent in _SPECIFIC)
    if has_mrr:
        # MRR over a range or with trend words is a trend; at a point it is a total.
        if (has_trend or (range_period and not specific)) and not point_in_time:
            _bump(scores, Intent.MRR_TREND, 3.0)
        else:
            scores.pop(Intent.MRR_TREND, None) if not has_trend else None
    elif not any(k in scores for k in (Intent.MRR_TOTAL,)) and has_trend:
        # "history" alone (without MRR) is weak: let invoices/account cues win.
        scores[Intent.MRR_TREND] = scores.get(Intent.MRR_TREND, 0.0) - 1.0
    kinds = sum(1 for kind in _MOVEMENT_KINDS if kind.search(text))
    if _EXPANSION.search(text) and (_CONTRACTION.search(text) or _NEW_OR_CHURN.search(text)):
        _bump(scores, Intent.MRR_MOVEMENTS, 6.0)
    elif kinds >= 2 and _KIND_JOIN.search(text):
        _bump(scores, Intent.MRR_MOVEMENTS, 4.0)
    upsell = scores.get(Intent.UPSELL_CANDIDATES, 0.0)
    if past and _EXPANSION.search(text) and not _MODAL_VERB.search(text) and upsell < 5.0:
        # "upgrades in April" happened: expansion movements, not upsell prospects.
        _bump(scores, Intent.MRR_MOVEMENTS, 4.0)
    elif Intent.UPSELL_CANDIDATES in scores and _MODAL.search(text):
        _bump(scores, Intent.UPSELL_CANDIDATES, 1.5)
    if _LOST.search(text):
        # "could we lose" is revenue at risk; "did we lose" is churn.
        future = re.search(r"\b(?:could|might|may|would|will)\b", text)
        if future:
            _bump(scores, Intent.ARR_AT_RISK, 3.0)
        elif has_mrr:
            _bump(scores, Intent.CHURN_RATE, 2.0)
    if scores.get(Intent.CHURN_RATE, 0.0) >= MIN_SCORE and _RATE.search(text):
        _bump(scores, Intent.CHURN_RATE, 1.0)
    if Intent.SCHEDULED_CANCELLATIONS in scores and _FUTURE.search(text):
        # "set to churn", "upcoming churn", "churning at the end of their term".
        _bump(scores, Intent.SCHEDULED_CANCELLATIONS, 2.0)
    if Intent.ARR_AT_RISK in scores:
        scores[Intent.ARR_AT_RISK] += 1.0 if has_mrr else 0.0
    if (
        Intent.SCHEDULED_CANCELLATIONS in scores
        and _PROGRESSIVE_CANCEL.search(text)
        and _PAST_CANCEL.search(text)
        and not re.search(r"\bscheduled|\bpending|\bset to", text)
    ):
        # "who was cancelling last month" is about past cancellations.
        scores[Intent.SCHEDULED_CANCELLATIONS] -= 3.0
    if Intent.LIFETIME_REVENUE in scores and Intent.TOP_ACCOUNTS in scores:
        _bump(scores, Intent.LIFETIME_REVENUE, 1.0)  # "top 5 by lifetime revenue"
    if Intent.TRIALS in scores and Intent.RENEWALS in scores and re.search(r"\btrial", text):
        _bump(scores, Intent.TRIALS, 1.0)
    if _HOW_TO.search(text):
        for intent in list(scores):
            if intent is not Intent.HELP:
                scores[intent] -= 6.0


def decide(
    text: str,
    *,
    has_account: bool,
    named_account: bool,
    range_period: bool = False,
    point_in_time: bool = False,
    past_period: bool = False,
) -> IntentResult:
    """Pick the intent for folded ``text``.

    ``has_account``: an account (or candidates) was resolved; ``named_account``:
    the user typed something that looks like an account even if nothing matched;
    ``past_period``: the question names a period that has already begun.
    """
    scores = score(text, range_period=range_period, point_in_time=point_in_time, past=past_period)
    ranked = _ranked(scores)
    best, best_score = ranked[0] if ranked else (Intent.UNKNOWN, 0.0)
    if best_score < MIN_SCORE:
        best, best_score = Intent.UNKNOWN, 0.0
    if best is Intent.HELP and has_account and best_score < 6.0:
        best = Intent.UNKNOWN
    if has_account or named_account:
        best = _account_reading(best, text, scores, range_period, point_in_time)
    else:
        best = _workspace_reading(best, text, ranked)
    suggestions = tuple(i for i, s in ranked if i != best and s > 0)[:3]
    metric = unsupported_metric(text)
    ratio = re.search(r"\bratio\b|\b\w+\s+to\s+\w+\s+ratio\b", text) is not None
    if metric is not None and (best_score < STRONG_SCORE or ratio) and best is not Intent.HELP:
        # "NRR?": not something we compute; offer the nearest questions we answer.
        best = Intent.UNKNOWN
        near = tuple(Intent(v) for v in UNSUPPORTED_METRICS[metric])
        suggestions = tuple(dict.fromkeys(near + suggestions))[:3]
    if best is Intent.UNKNOWN and not suggestions:
        suggestions = DEFAULT_SUGGESTIONS
    raw = ranked[0][0] if ranked and ranked[0][1] >= MIN_SCORE else Intent.UNKNOWN
    return IntentResult(best, best_score, suggestions, scores, raw)


def unsupported_metric(text: str) -> str | None:
    """A metric named in ``text`` that revbot does not compute ("nrr", "cac"), if any."""
    for token, _, _ in tokens_with_spans(text):
        if token in UNSUPPORTED_METRICS:
            return token
    return None


def _ranked(scores: dict[Intent, float]) -> list[tuple[Intent, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], _PRIORITY.index(kv[0])))


def _account_reading(
    best: Intent, text: str, scores: dict[Intent, float], range_period: bool, point_in_time: bool
) -> Intent:
    if best is Intent.HELP:
        return best
    trendy = (bool(_TREND.search(text)) or range_period) and not point_in_time
    if best in (Intent.MRR_TOTAL, Intent.MRR_TREND, Intent.ACCOUNT_SUMMARY, Intent.UNKNOWN) and (
        trendy and (_MRR_WORDS.search(text) or _TREND.search(text))
    ):
        return Intent.ACCOUNT_MRR_TREND
    if best is Intent.TOP_ACCOUNTS and Intent.LIFETIME_REVENUE in scores:
        return Intent.LIFETIME_REVENUE
    if best in (Intent.DOWNGRADES, Intent.MRR_MOVEMENTS) and not trendy:
        return Intent.ACCOUNT_SUMMARY
    return _TO_ACCOUNT.get(best, best)


def _workspace_reading(best: Intent, text: str, ranked: list[tuple[Intent, float]]) -> Intent:
    if best is Intent.ACCOUNT_MRR_TREND:
        return Intent.MRR_TREND
    if best is Intent.PAYMENT_STATUS:
        return Intent.OVERDUE_ACCOUNTS
    if best is Intent.ACCOUNT_SUMMARY:
        others = [i for i, s in ranked if i is not Intent.ACCOUNT_SUMMARY and s >= MIN_SCORE]
        if others:
            return others[0]
        return Intent.MRR_TOTAL if _WORKSPACE.search(text) else Intent.UNKNOWN
    if best is Intent.ACCOUNT_INVOICES:
        for intent, value in ranked:
            if intent is Intent.OVERDUE_ACCOUNTS and value >= MIN_SCORE:
                return intent
    return best


def account_version(intent: Intent, trendy: bool = False) -> Intent:
    """The one-account counterpart of ``intent`` (used when a follow-up names an account)."""
    if trendy and intent in (Intent.MRR_TOTAL, Intent.MRR_TREND, Intent.ACCOUNT_SUMMARY):
        return Intent.ACCOUNT_MRR_TREND
    if intent is Intent.HELP:
        return Intent.ACCOUNT_SUMMARY
    return _TO_ACCOUNT.get(intent, intent)


def workspace_version(intent: Intent) -> Intent:
    """The workspace counterpart of a one-account intent (no account available)."""
    return {
        Intent.ACCOUNT_MRR_TREND: Intent.MRR_TREND,
        Intent.PAYMENT_STATUS: Intent.OVERDUE_ACCOUNTS,
        Intent.ACCOUNT_SUMMARY: Intent.MRR_TOTAL,
    }.get(intent, intent)
