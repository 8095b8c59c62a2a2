"""Resolution: each name's best gazetteer entry given the article's other places, and names the
gazetteer lacks placed where the article puts them."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from storyline.read.gazetteer import (
    ABBREVIATION,
    ADMIN_POPULATION_DISCOUNT,
    ALTERNATE,
    KINDS,
    NAME,
    Gazetteer,
    distance_km,
    english_words,
)
from storyline.read.places.match import Mention, Token, all_caps, capitalised, lookup
from storyline.read.places.words import (
    ADMIN_FEATURES,
    CITY_FEATURES,
    FEATURE_WORDS,
    PLACE_LABELS,
    WIDE_FEATURES,
)

# -- scoring weights (tuned on GeoWebNews dev with these features only) ---------
# Kind prior: a name that is a country is the country far more often than a
# village of the same name; admin1 names ("Texas") likewise beat small towns.
# A subdivision gets little: "New York" and "Washington" in news are the cities.
KIND_PRIOR = {"country": 3.0, "continent": 3.0, "region": 2.0, "admin1": 0.5, "city": 0.0, "admin2": 0.0}
POPULATION_WEIGHT = 0.5  # per decade of population
NAMES_WEIGHT = 0.4  # per doubling of the number of names: notable places have many
MAIN_NAME_BONUS = 1.0  # the surface is the entry's own (English) name, not one of its alternates
# A country's kind prior counts in full only for its own names: "Tunis" is a
# Croatian name of Tunisia but first of all the city.
ALTERNATE_KIND_SHARE = 0.3
CURATED_ABBREVIATION_BONUS = 3.0  # "N.M." (AP style for New Mexico) over a derived initialism
SAME_COUNTRY_BONUS = 2.0
SAME_ADMIN1_BONUS = 2.5
# A subdivision holding the article's towns: a smaller bonus, as a town named like
# its state ("New York") is nearer still (PROXIMITY_BONUS).
HOLDER_BONUS = 1.0
QUALIFIER_BONUS = 5.0  # "Paris, Texas": the qualifier names the state or country
PROXIMITY_BONUS = 2.5  # at most, for a candidate next to the article's other places
PROXIMITY_NEAR_KM, PROXIMITY_FAR_KM = 50.0, 2000.0
FEATURE_BONUS = 1.0
# A town named like a region or sea, its state unnamed: below the region whatever its
# population ("Atlantic", Iowa, has 7,000 people and many names; the ocean has none).
SHADOWED_TOWN_PENALTY = 10.0
# Same-named city and subdivision this close are one place (a district and its seat).
SEAT_KM = 60.0
# Spelling variants: edit distance 1 for names of 6+ letters, 2 for 10+; only
# among places within this distance of the article's confident places.
VARIANT_RADIUS_KM = 150.0
VARIANT_MIN_LEN = 6
# A name the gazetteer lacks, placed by the article's other places (see
# locate_unresolved): right about 3 times in 4 on GeoWebNews, so its confidence
# is scaled down to stay below resolved names.
CONTEXT_CONFIDENCE = 0.5
# The article's main place is the one mentioned most; a decade of population counts
# as this many mentions (Chicago over a hamlet that shares a word with the text).
FOCUS_POPULATION_WEIGHT = 0.5
# A resolved town smaller than this, farther than STRAY_KM from all the article's
# other places and in none of its countries, is dropped (see resolve).
STRAY_MAX_POPULATION = 20000
STRAY_KM = 1000.0
# A town's all-capital code found outside NER place spans counts only for cities
# this large ("NYC", "KL"); smaller towns' codes are mostly airport codes ("CEO").
CODE_MIN_POPULATION = 1_000_000
# Weak gazetteer-only single-word matches need this population (or a kind above
# city, or place context) to count: small villages share names with everything.
WEAK_MIN_POPULATION = 5000
# The same in a script without capitals (Arabic, Persian, Chinese), where any word may share a town's name.
UNCASED_MIN_POPULATION = 50000
# ... and this large to stand alone, without a word that says "in", "from" or "city" ("خبر", news, is Khobar).
UNCASED_ALONE_POPULATION = 500_000


@dataclass
class Context:
    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    points: dict[tuple[float, float, str], None] = field(default_factory=dict)  # (lat, lon, mention key), each once
    # The same counts per mention key: a name is not its own context.
    own_countries: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    own_admin1: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # First-level subdivisions that the article's towns lie in.
    holders: Counter = field(default_factory=Counter)
    own_holders: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    _arrays: tuple | None = None
    # nearest_km's answers for the points as they are: a name's mentions all ask the same
    _nearest: dict[tuple[float, float, str | None], float] = field(default_factory=dict)

    def add_point(self, lat: float, lon: float, key: str) -> None:
        """A located place; a name's repeated mentions add nothing new (only distances count)."""
        if (lat, lon, key) not in self.points:
            self.points[(lat, lon, key)] = None
            self._arrays = None
            self._nearest.clear()

    def nearest_km(self, lat: float, lon: float, exclude_key: str | None = None) -> float:
        """Distance to the nearest located place not named ``exclude_key`` (inf if none).

        One vectorised haversine over the points, so that scoring every candidate of a
        long text against its located places stays cheap."""
        query = (lat, lon, exclude_key)
        if query not in self._nearest:
            self._nearest[query] = self._nearest_km(lat, lon, exclude_key)
        return self._nearest[query]

    def _nearest_km(self, lat: float, lon: float, exclude_key: str | None) -> float:
        if self._arrays is None:
            rad = np.radians(np.array([(la, lo) for la, lo, _ in self.points], dtype=np.float64).reshape(-1, 2))
            self._arrays = (rad[:, 0], rad[:, 1], np.cos(rad[:, 0]), np.array([k for *_, k in self.points], dtype=object))
        lats, lons, cos_lats, keys = self._arrays
        if exclude_key is not None:
            keep = keys != exclude_key
            lats, lons, cos_lats = lats[keep], lons[keep], cos_lats[keep]
        if not len(lats):
            return math.inf
        p = math.radians(lat)
        a = np.sin((lats - p) / 2) ** 2 + math.cos(p) * cos_lats * np.sin((lons - math.radians(lon)) / 2) ** 2
        return float(2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, a.min()))))

    def country_count(self, country: str, key: str) -> int:
        return self.countries[country] - self.own_countries[key][country]

    def admin1_count(self, admin1: str, key: str) -> int:
        return self.admin1[admin1] - self.own_admin1[key][admin1]

    def holder_count(self, admin1: str, key: str) -> int:
        return self.holders[admin1] - self.own_holders[key][admin1]


def prior(gaz: Gazetteer, index: int, flag: int) -> float:
    kind = KINDS[gaz.kinds[index]]
    population = gaz.populations[index]
    if kind in ("admin1", "admin2"):
        # A subdivision's population is the sum of its towns: discount it so that
        # "New York" the city is not outweighed by the state for being part of it.
        population //= ADMIN_POPULATION_DISCOUNT
    own = flag != ALTERNATE
    return (
        KIND_PRIOR[kind] * (1.0 if own else ALTERNATE_KIND_SHARE)
        + POPULATION_WEIGHT * math.log10(population + 1)
        + NAMES_WEIGHT * math.log2(gaz.name_counts[index] + 1)
        + (MAIN_NAME_BONUS if flag == NAME else 0.0)
        + (CURATED_ABBREVIATION_BONUS if flag == ABBREVIATION else 0.0)
    )


def _proximity(lat: float, lon: float, ctx: Context, key: str) -> float:
    best = ctx.nearest_km(lat, lon, exclude_key=key)
    if best <= PROXIMITY_NEAR_KM:
        return PROXIMITY_BONUS
    if best >= PROXIMITY_FAR_KM:
        return 0.0
    return PROXIMITY_BONUS * (1 - math.log(best / PROXIMITY_NEAR_KM) / math.log(PROXIMITY_FAR_KM / PROXIMITY_NEAR_KM))


def collapse_seats(gaz: Gazetteer, entries: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A subdivision named like a city within SEAT_KM of it is the same place: keep the city."""
    cities = [(i, f) for i, f in entries if KINDS[gaz.kinds[i]] == "city"]
    out = []
    for i, f in entries:
        if KINDS[gaz.kinds[i]] in ("admin1", "admin2") and any(
            gaz.countries[c] == gaz.countries[i]
            and distance_km(gaz.lats[c], gaz.lons[c], gaz.lats[i], gaz.lons[i]) <= SEAT_KM
            for c, _ in cities
        ):
            continue
        out.append((i, f))
    return out


def _drop_lesser_alternates(gaz: Gazetteer, entries: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """When the name is a country's or first-level subdivision's own name ("Florida",
    "Alaska"), smaller towns that merely list it among their alternates (an old
    name, a translation) are not candidates; a city that outweighs the subdivision
    (New York City, alternately "New York") stays."""
    containers = [gaz.populations[i] // ADMIN_POPULATION_DISCOUNT for i, f in entries
                  if f != ALTERNATE and KINDS[gaz.kinds[i]] in CONTAINER_KINDS]
    if not containers:
        return entries
    floor = max(containers)
    return [(i, f) for i, f in entries
            if f != ALTERNATE or KINDS[gaz.kinds[i]] in CONTAINER_KINDS or gaz.populations[i] >= floor]


def score(gaz: Gazetteer, m: Mention, index: int, flag: int, ctx: Context, mentions: list[Mention]) -> float:
    s = prior(gaz, index, flag)
    country, admin1 = gaz.countries[index], gaz.admin1[index]
    kind = KINDS[gaz.kinds[index]]
    if kind == "city" and _names_a_region(gaz, m):
        # A town named like a region or sea ("Middle East", Maryland; "Atlantic", Iowa)
        # needs its own state in the article: news from the same country names the
        # region far more often than the town.
        if admin1 and (ctx.admin1_count(admin1, m.key) > 0 or ctx.holder_count(admin1, m.key) > 0):
            s += SAME_ADMIN1_BONUS + PROXIMITY_BONUS
        else:
            s -= SHADOWED_TOWN_PENALTY
        return s + _qualifier_bonus(gaz, m, index, mentions)
    if country and ctx.country_count(country, m.key) > 0:
        s += SAME_COUNTRY_BONUS
    if admin1 and kind != "admin1" and ctx.admin1_count(admin1, m.key) > 0:
        s += SAME_ADMIN1_BONUS
    if admin1 and kind == "admin1" and ctx.holder_count(admin1, m.key) > 0:
        s += HOLDER_BONUS  # "Washington" in a story about Seattle is the state
    if kind not in ("country", "continent", "region"):
        s += _proximity(gaz.lats[index], gaz.lons[index], ctx, m.key)
    s += _qualifier_bonus(gaz, m, index, mentions)
    if m.feature in ADMIN_FEATURES and kind in ("admin1", "admin2") or m.feature in CITY_FEATURES and kind == "city":
        s += FEATURE_BONUS
    return s


def _names_a_region(gaz: Gazetteer, m: Mention) -> bool:
    """The mention's name is a region's own name (not a translation or a code)."""
    return any(f == NAME and KINDS[gaz.kinds[i]] == "region" for i, f in m.entries)


def _qualifier_bonus(gaz: Gazetteer, m: Mention, index: int, mentions: list[Mention]) -> float:
    """ "Paris, Texas": the qualifier names the entry, its country or its state."""
    if m.qualifier is None:
        return 0.0
    q = mentions[m.qualifier].place
    if q is not None and (gaz.ids[q] == gaz.ids[index] or (
        KINDS[gaz.kinds[q]] == "country" and gaz.countries[q] == gaz.countries[index]) or (
            KINDS[gaz.kinds[q]] == "admin1" and gaz.admin1[q] == gaz.admin1[index])):
        return QUALIFIER_BONUS
    return 0.0


def _context(gaz: Gazetteer, mentions: list[Mention], min_conf: float) -> Context:
    ctx = Context()
    for m in mentions:
        if m.place is None or m.confidence < min_conf:
            continue
        i = m.place
        kind = KINDS[gaz.kinds[i]]
        if gaz.countries[i]:
            ctx.countries[gaz.countries[i]] += 1
            ctx.own_countries[m.key][gaz.countries[i]] += 1
        if kind == "admin1" and gaz.admin1[i]:
            ctx.admin1[gaz.admin1[i]] += 1
            ctx.own_admin1[m.key][gaz.admin1[i]] += 1
        if kind in ("city", "admin1", "admin2") and not m.demonym:
            ctx.add_point(gaz.lats[i], gaz.lons[i], m.key)
        if kind in ("city", "admin2") and gaz.admin1[i]:
            ctx.holders[gaz.admin1[i]] += 1
            ctx.own_holders[m.key][gaz.admin1[i]] += 1
    return ctx


def resolve(gaz: Gazetteer, mentions: list[Mention], rounds: int = 3) -> Context:
    groups: dict[str, list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        if m.entries:
            m.entries = _drop_lesser_alternates(gaz, collapse_seats(gaz, m.entries))
            groups[m.key].append(n)
    ctx = Context()
    for round_ in range(rounds):
        for _key, members in groups.items():
            totals: dict[int, float] = defaultdict(float)
            flags: dict[int, int] = {}
            for n in members:
                m = mentions[n]
                for i, f in m.entries:
                    flags[i] = min(f, flags.get(i, f))
            for i, f in flags.items():
                # One sense per discourse: the best entry over all the name's mentions.
                totals[i] = max(score(gaz, mentions[n], i, f, ctx, mentions) for n in members)
            ranked = sorted(totals.items(), key=lambda kv: -kv[1])
            best, s1 = ranked[0]
            s2 = ranked[1][1] if len(ranked) > 1 else s1 - 4.0
            margin = 1 / (1 + math.exp(-(s1 - s2)))
            for n in members:
                m = mentions[n]
                m.place = best
                m.confidence = round(m.support * margin, 3)
        ctx = _context(gaz, mentions, min_conf=0.3 if round_ == 0 else 0.25)
    # Weak matches (small places found only by the gazetteer) stay only when close
    # to the article's other places or in the article's country.
    for m in mentions:
        if m.place is not None and m.support < 0.5 and not m.demonym:
            i = m.place
            near = ctx.nearest_km(gaz.lats[i], gaz.lons[i], exclude_key=m.key) <= VARIANT_RADIUS_KM
            if not near and not (gaz.countries[i] and ctx.countries[gaz.countries[i]] > 1):
                m.place = None
                m.entries = []
    # A small town far from everything else the article names, in a country it does
    # not otherwise mention, is a different place that shares the name ("Middle
    # East", Maryland; "Heathrow", Florida): leave it to locate_unresolved.
    for m in mentions:
        i = m.place
        if i is None or m.demonym or gaz.populations[i] >= STRAY_MAX_POPULATION or KINDS[gaz.kinds[i]] not in (
                "city", "admin2"):
            continue
        nearest = ctx.nearest_km(gaz.lats[i], gaz.lons[i], exclude_key=m.key)
        if nearest == math.inf or (gaz.countries[i] and ctx.country_count(gaz.countries[i], m.key) > 0):
            continue
        if nearest > STRAY_KM:
            m.place = None
            m.entries = []
    return ctx


# -- places the gazetteer lacks -------------------------------------------------------------

SPECIFIC_KINDS = ("city", "admin2")
CONTAINER_KINDS = ("country", "admin1", "continent", "region")


def locate_unresolved(text: str, tokens: list[Token], gaz: Gazetteer, mentions: list[Mention],
                       ctx: Context) -> None:
    """Place a name the gazetteer lacks ("Royal Street", "Colchester General Hospital")
    that the NER marks as a place where the article puts it: at a place named inside
    it ("Colchester"), else at the nearest place the article mentions before it.

    Such a mention gets source "context" and a low confidence; it teaches no alias.
    A sea, ocean, gulf, strait, peninsula or desert ("Indian Ocean", "Gulf of Aden") is
    placed only at a town named inside it: the article's main town or a country named
    inside it would put it hundreds of kilometres off, and no place is better than that.
    """
    words = english_words()
    located = [m for m in mentions if m.place is not None and not m.demonym and m.source != "context"]
    if not located:
        return
    by_key = {m.key: m for m in located}
    longest = max([gaz.max_tokens, *(len(key.split()) for key in by_key)])
    specific = [m for m in located if KINDS[gaz.kinds[m.place]] in SPECIFIC_KINDS]
    dominant = ctx.countries.most_common(1)[0][0] if ctx.countries else None
    for m in mentions:
        if m.place is not None or m.demonym or m.source not in ("spacy", "natasha") or m.label not in PLACE_LABELS:
            continue
        inner = _inner_place(tokens, gaz, m, by_key, ctx, mentions, words, longest)
        if _wide_feature(tokens, m):
            if inner is not None and KINDS[gaz.kinds[inner]] in SPECIFIC_KINDS:
                m.place, m.source, m.confidence = inner, "context", round(m.support * CONTEXT_CONFIDENCE, 3)
            continue
        if inner is not None and KINDS[gaz.kinds[inner]] in CONTAINER_KINDS:
            # "Illinois State Armory": where in Illinois the article says.
            inside = [o for o in specific if _within(gaz, o.place, inner)]
            near = _nearest_in_text(m, inside)
            if near is not None:
                inner = near.place
        if inner is None:
            home = [o for o in specific if gaz.countries[o.place] == dominant]
            pool = home or specific
            if pool:
                # The article's main place: mentioned most, and a notable place rather
                # than a village that happens to share a word with the text.
                weight: dict[int, float] = defaultdict(float)
                for o in pool:
                    weight[o.place] += 1.0
                for i in weight:
                    weight[i] += FOCUS_POPULATION_WEIGHT * math.log10(gaz.populations[i] + 1)
                top = max(weight.values())
                near = _nearest_in_text(m, [o for o in pool if weight[o.place] == top])
            else:
                near = _nearest_in_text(m, located)
            inner = near.place if near is not None else None
        if inner is not None:
            m.place, m.source, m.confidence = inner, "context", round(m.support * CONTEXT_CONFIDENCE, 3)


def _wide_feature(tokens: list[Token], m: Mention) -> bool:
    """ "X Sea", "X Ocean", "Gulf of X", "Sea of X": a feature wider than a town."""
    if m.t1 - m.t0 < 2:
        return False
    last, first = tokens[m.t1 - 1].key, tokens[m.t0].key
    return last in WIDE_FEATURES or first in WIDE_FEATURES and tokens[m.t0 + 1].key in ("of", "du", "de", "di")


def _within(gaz: Gazetteer, index: int, container: int) -> bool:
    kind = KINDS[gaz.kinds[container]]
    if kind == "country":
        return gaz.countries[index] == gaz.countries[container]
    if kind == "admin1":
        return gaz.admin1[index] is not None and gaz.admin1[index] == gaz.admin1[container]
    return False


def _nearest_in_text(m: Mention, others: list[Mention]) -> Mention | None:
    """The closest mention before ``m``, else the closest after it."""
    before = [o for o in others if o.end <= m.start]
    if before:
        return max(before, key=lambda o: o.end)
    after = [o for o in others if o.start >= m.end]
    return min(after, key=lambda o: o.start) if after else None


def _inner_place(tokens: list[Token], gaz: Gazetteer, m: Mention, by_key: dict[str, Mention], ctx: Context,
                 mentions: list[Mention], words: frozenset[str], longest: int) -> int | None:
    """The longest capitalised name inside the span that is a place in the article's
    area: one the article resolved already, a country or first-level subdivision by
    its own name, or an entry in one of the article's countries or near its places.

    No name is longer than ``longest`` tokens (the gazetteer's longest name or the
    article's longest resolved one), so only sub-spans up to that length are tried:
    linear in the span's length (an NER span can run to hundreds of capitalised tokens)."""
    for length in range(min(m.t1 - m.t0 - 1, longest), 0, -1):
        for a in range(m.t0, m.t1 - length + 1):
            span = tokens[a : a + length]
            if not all(capitalised(t.text) for t in span) or (length == 1 and (
                    span[0].key in words or span[0].key in FEATURE_WORDS or all_caps(span[0].text))):
                continue
            key = " ".join(t.key for t in span)
            if key in by_key:
                return by_key[key].place
            hit = lookup(gaz, [t.key for t in span])
            if not hit:
                continue
            entries = [(v >> 3, v & 7) for v in hit[1] if v & 7 in (NAME, ALTERNATE)]
            if not entries:
                continue
            probe = Mention(a, a + length, span[0].start, span[-1].end, hit[0], entries, "context")
            i, f = max(entries, key=lambda e: score(gaz, probe, e[0], e[1], ctx, mentions))
            if f == NAME and KINDS[gaz.kinds[i]] in CONTAINER_KINDS and ctx.countries[gaz.countries[i] or ""] > 0 or _in_area(gaz, i, ctx):
                return i
    return None


def _in_area(gaz: Gazetteer, index: int, ctx: Context) -> bool:
    """Near the article's located places (a country alone is too wide: "Centre",
    "Collins" are towns somewhere in the United States too)."""
    return ctx.nearest_km(gaz.lats[index], gaz.lons[index]) <= VARIANT_RADIUS_KM
