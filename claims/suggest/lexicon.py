"""The word lists the rules share, each once: speech and denial verbs, speaker words, months and days.

A list used by one rule alone stays in that rule's module, beside the logic that reads it.
"""

from __future__ import annotations

MONTHS = "january february march april may june july august september october november december".split()
MONTH_ABBREVIATIONS = "jan feb mar apr jun jul aug sep sept oct nov dec".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

SPEECH_VERBS = frozenset(
    """say says said tell tells told add adds added state states stated claim claims claimed announce
    announces announced argue argues argued insist insists insisted warn warns warned note notes noted
    explain explains explained write writes wrote tweet tweets tweeted post posts posted report reports
    reported declare declares declared assert asserts asserted allege alleges alleged maintain maintains
    maintained suggest suggests suggested confirm confirms confirmed estimate estimates estimated
    predict predicts predicted acknowledge acknowledges acknowledged admit admits admitted concede
    concedes conceded contend contends contended testify testifies testified reveal reveals revealed
    disclose discloses disclosed accuse accuses accused promise promises promised pledge pledges
    pledged vow vows vowed found finds find showed shows show concluded concludes comment comments
    commented theorize theorizes theorized theorise theorises theorised""".split()
)
# Speech verbs that make the statement an accusation: "The EU accused Russia of ...".
ACCUSATION_VERBS = frozenset("accuse accuses accused".split())
# Verbs that report speech only when "that" follows: "the study found that", not "police found a car".
PARTICIPLES = frozenset(
    "saying adding claiming insisting arguing warning noting explaining stating asserting alleging".split()
)
DENIAL_VERBS = frozenset(
    """deny denies denied reject rejects rejected dismiss dismisses dismissed refute refutes refuted
    dispute disputes disputed rebut rebuts rebutted repudiate repudiates repudiated rebuff rebuffs
    rebuffed contradict contradicts contradicted""".split()
)
TITLES = frozenset(
    """president vice prime minister secretary senator sen rep representative congressman
    congresswoman gov governor lt lieutenant mayor chancellor general gen adm admiral col colonel
    capt captain maj major sgt dr mr mrs ms miss prof professor king queen prince princess pope
    judge justice chief spokesman spokeswoman spokesperson ambassador commissioner director ceo
    chairman chairwoman chair leader speaker premier envoy deputy attorney sheriff commander
    officer official minister's""".split()
)
# Heads of unnamed speaker phrases: "officials", "the ministry", "critics".
GROUP_NOUNS = frozenset(
    """officials official residents critics experts analysts sources observers diplomats people
    activists opponents supporters leaders lawmakers legislators economists scientists researchers
    doctors witnesses authorities investigators prosecutors police opposition spokesman spokeswoman
    spokesperson spokespeople representatives aides advisers advisors officers protesters
    campaigners members voters citizens ministers commanders statement report study survey data
    figures poll polls document documents reports studies surveys estimates records statistics""".split()
)
INSTITUTION_NOUNS = frozenset(
    """ministry office agency department bureau institute commission council government army navy
    court bank police committee administration kremlin military company firm club union party
    campaign hospital school university airline network league team regulator watchdog embassy
    operator manufacturer retailer charity organisation organization group service""".split()
)
PERSON_TITLE_NOUNS = frozenset(
    """president minister governor mayor chancellor senator general admiral secretary spokesman
    spokeswoman spokesperson ambassador chairman premier leader king queen pope prime professor
    scientist economist analyst researcher lawyer historian author expert""".split()
)
# News organisations: "Reuters reports: ..." cites a source, it does not make a claim of its own.
NEWS_ORGANISATIONS = frozenset(
    """afp ap bbc bloomberg cnn guardian herald interfax journal post reuters tass telegraph times
    tribune xinhua""".split()
)
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
DETERMINERS = frozenset({"the", "a", "an", "some", "many", "several", "most", "other", "two", "three", "its"})
# Words that make a proper name an organisation rather than a person: the institution nouns that appear
# in names, and names of organisations the news cites.
ORGANISATION_WORDS = (INSTITUTION_NOUNS - frozenset(
    "airline campaign charity club embassy firm hospital league manufacturer military operator regulator "
    "retailer school team watchdog".split()
)) | frozenset(
    """association authority board cabinet center centre command congress corp daily eu federation forces
    foundation fund house inc ltd nato news parliament pentagon press radio senate television un""".split()
) | NEWS_ORGANISATIONS  # fmt: skip
