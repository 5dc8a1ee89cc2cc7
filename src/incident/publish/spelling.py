"""One spelling per outlet and organisation, derived from the data.

The raw tables spell one name several ways: an outlet as its logo ("TAGBLATT") and as a word
("Tagblatt"), a company with and without its legal form, in its own brand casing and in plain
casing ("eXampla GmbH", "exampla GmbH", "Exampla"). A page that uses two spellings looks like two outlets. This
module picks one display name per name, from the spellings the data itself uses, never from a
list in code:

* spellings are the same name when they agree after dropping a legal form (GmbH, AG, e. V., …)
  and ignoring case;
* the legal form is dropped (news style names a company without it);
* when the data spells the name in ordinary casing (first letter of each word upper-case, the
  rest lower-case: "Tagblatt", "Exampla"), that spelling wins over a logo's casing ("TAGBLATT",
  "eXampla"); a name the data spells only in its own casing ("AppCo", "newsPortal.de") keeps it;
* among equal candidates the most frequent spelling wins, then the alphabetically first.

:meth:`Spelling.fix` rewrites the other spellings inside the desk's own words (a speaker
"eXampla-Geschäftsführer …"); text inside German quotation marks („…“) is a source's wording and
stays untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from incident.publish.charts import short_outlet

#: A legal form after a company's name.
_LEGAL = re.compile(r"\s+(?:gGmbH|GmbH|mbH|AG|SE|KG|KGaA|UG|e\.\s?V\.)(?=$|[\s,;)])", flags=re.IGNORECASE)
#: A quotation in German marks: the source's words, never respelled.
_QUOTED = re.compile(r"(„[^“]*“)")


def base(name: str) -> str:
    """The name without a legal form: ``'eXampla GmbH'`` → ``'eXampla'``."""
    return _LEGAL.sub("", str(name)).strip()


def key(name: str) -> str:
    """What makes two spellings one name: ``'eXampla GmbH'`` and ``'Exampla'`` → ``'exampla'``."""
    return base(name).casefold()


def ordinary(name: str) -> bool:
    """Whether a name is spelled in ordinary casing: each word's first letter upper-case, the rest lower."""
    words = re.findall(r"[^\W\d_]+", name)
    return bool(words) and all(w[0].isupper() and w[1:] == w[1:].lower() for w in words)


class Spelling:
    """The display name of every name the data spells (see the module docstring for the rule)."""

    def __init__(self, names: Iterable[str]):
        counts = Counter(base(n) for n in names if str(n).strip())
        groups: dict[str, list[str]] = {}
        for spelled in counts:
            groups.setdefault(spelled.casefold(), []).append(spelled)
        self.display_of: dict[str, str] = {}
        for k, spellings in groups.items():
            plain = [s for s in spellings if ordinary(s)]
            pool = plain or spellings
            self.display_of[k] = sorted(pool, key=lambda s: (-counts[s], s))[0]
        variants = {str(n).strip() for n in names if str(n).strip() and str(n).strip() != self.display(str(n))} | {
            base(n) for n in names if base(n) != self.display(str(n))
        }
        self._variants = sorted((v for v in variants if v), key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w./@])(" + "|".join(re.escape(v) for v in self._variants) + r")(?![\w]|\.\w)")
            if self._variants
            else None
        )

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> Spelling:
        """The spellings of the outlets (``sources.outlet``), the speakers' organisations
        (``speaker_org``) and the speakers the desk named by an organisation alone (``speaker_de``)."""
        names = [short_outlet(str(o)) for o in tables["sources"]["outlet"].dropna()]
        claims = tables.get("claims_resolved", pd.DataFrame())
        if "speaker_org" in claims.columns:
            names += [short_outlet(str(o)) for o in claims["speaker_org"].dropna() if str(o).strip()]
        known = {key(n) for n in names}
        if "speaker_de" in claims.columns:
            names += [str(s) for s in claims["speaker_de"].dropna() if key(str(s)) in known]
        return cls(names)

    def display(self, name: str) -> str:
        """The one spelling of ``name`` (``name`` itself when the data does not spell it)."""
        text = str(name).strip()
        return self.display_of.get(key(text), base(text) or text)

    def fix(self, text: object) -> str:
        """``text`` with every other spelling of a known name replaced by its display name, outside quotes."""
        value = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
        if self._pattern is None or not value:
            return value
        parts = _QUOTED.split(value)
        return "".join(
            p if p.startswith("„") else self._pattern.sub(lambda m: self.display(m.group(1)), p) for p in parts
        )
