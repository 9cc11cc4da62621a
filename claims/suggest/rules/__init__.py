"""The rules that find claim spans, one module each; the engine runs them in the order of RULES.

A new rule is a module here defining a `Rule` and one line below (see README, "How to add a rule").
Document-wide rules see what the ones listed before them found (quotations, the attributions).
"""

from claims.suggest.rule import Rule
from claims.suggest.rules import attributions, cues, quantities, quotations, records

RULES: tuple[Rule, ...] = (
    quantities.RULE,
    attributions.RULE,
    quotations.RULE,
    cues.PREDICTIONS,
    cues.CAUSES,
    records.RULE,
)
