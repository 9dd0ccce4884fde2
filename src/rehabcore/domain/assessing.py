"""The rules of needs assessments' lists (#18, rule V1): each country assesses in its own list.

Sweden assesses in the ICF life areas IBIC uses — activity and participation, health and body functions,
environmental factors — each with IBIC's 0–4 level; Denmark in the VUM 2.0 themes with their own 0–4 level
(voksenudredningsmetoden, ending in a § 141 handleplan). A Danish case is not forced into the Swedish list,
nor a Swedish case given Danish themes: the wrong list is refused.

Pure: imports only the standard library, attrs, rehabcore.errors and the domain.
"""

from __future__ import annotations

from rehabcore.domain import commands as cmd
from rehabcore.domain import rules as r
from rehabcore.domain.state import CaseState
from rehabcore.domain.vocabulary import AssessmentMethod, Jurisdiction

#: The methods that belong to one country (the others, ``other``, are used in both).
_METHOD_OF = {AssessmentMethod.IBIC: Jurisdiction.SE, AssessmentMethod.VUM2: Jurisdiction.DK}


def check_lists(c: cmd.AssessNeeds, s: CaseState) -> None:
    """V1: the case's jurisdiction's method and list, at least one area or theme, each named once."""
    icf = bool(c.life_areas or c.findings)
    if not (icf or c.vum_themes):
        raise r.InvalidState("an assessment names at least one life area")
    jurisdiction = s.jurisdiction
    method_of = _METHOD_OF.get(c.method)
    if jurisdiction is not None and method_of is not None and method_of is not jurisdiction:
        raise r.AssessmentListMismatch(
            "{method} is not a method of a {jurisdiction} case", method=c.method, jurisdiction=jurisdiction
        )
    if jurisdiction is Jurisdiction.SE and c.vum_themes:
        raise r.AssessmentListMismatch(
            "VUM 2.0 themes are Danish: assess a Swedish case in the ICF life areas (life_areas, findings)"
        )
    if jurisdiction is Jurisdiction.DK and icf:
        raise r.AssessmentListMismatch(
            "a Danish case is assessed in the VUM 2.0 themes (vum_themes), not the ICF life areas"
        )
    areas = [f.area for f in c.findings or ()]
    themes = [t.theme for t in c.vum_themes or ()]
    if len(set(areas)) < len(areas) or len(set(themes)) < len(themes):
        raise r.DuplicateId("an assessment gives each life area or theme one level")
