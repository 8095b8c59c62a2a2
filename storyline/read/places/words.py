"""Words that tell places apart from other names: NER labels, feature words ("region", "city of"),
locatives, titles, months. English and Russian; other languages add theirs in languages.py."""

from __future__ import annotations

# -- generic word lists (linguistic, not places) ----------------------------------

PLACE_LABELS = {"GPE", "LOC", "FAC"}
DEMONYM_LABELS = {"NORP"}
PERSON_LABELS = {"PERSON", "PER"}
# Spans of these labels never hold a place mention.
BLOCKING_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE",
                   "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}

# Words naming the kind of feature a place is; "the X region", "X district".
ADMIN_FEATURES = {"region", "regions", "district", "districts", "province", "provinces", "county", "counties",
                  "oblast", "governorate", "rayon", "raion", "prefecture", "municipality", "state", "territory",
                  "department", "canton", "krai", "republic", "emirate", "parish", "borough", "area", "zone"}
CITY_FEATURES = {"city", "town", "village", "settlement", "capital", "port", "township", "suburb", "hamlet"}
OTHER_FEATURES = {"corridor", "valley", "river", "mountains", "mountain", "border", "airport", "lake", "coast",
                  "highway", "road", "pass", "gorge", "plain", "basin", "peninsula", "island", "islands", "bay",
                  "sea", "strait", "gulf", "desert", "plateau", "heights", "enclave", "exclave", "front", "line"}
FEATURE_WORDS = ADMIN_FEATURES | CITY_FEATURES | OTHER_FEATURES
# Features far wider than any town and not inside one country's or state's borders:
# "the Black Sea", "Indian Ocean", "Gulf of Aden", "Korean Peninsula". A name ending
# in one (or "Gulf of X") is not placed at the article's main town nor at a country
# or state named inside it (see locate_unresolved).
WIDE_FEATURES = {"sea", "seas", "ocean", "oceans", "gulf", "strait", "straits", "peninsula", "desert",
                 "море", "океан", "залив", "пролив", "полуостров", "пустыня"}
# "city of X": feature words that precede the name with "of".
FEATURE_OF = {"city", "town", "village", "region", "province", "district", "state", "county", "port", "capital",
              "municipality", "republic", "settlement", "island", "suburb", "area", "outskirts"}
LOCATIVE = {"in", "at", "from", "to", "near", "into", "across", "through", "towards", "toward", "outside",
            "inside", "around", "via", "between", "throughout", "within", "entered", "entering", "reached",
            "reach", "leave", "left", "visited", "visit", "north", "south", "east", "west", "northern",
            "southern", "eastern", "western", "central", "of",
            # Russian
            "в", "во", "на", "из", "под", "около", "возле", "через", "до", "у"}
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "minister",
          "premier", "gen", "general", "col", "colonel", "capt", "captain", "sgt", "lt", "sen", "senator", "rep",
          "gov", "governor", "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope",
          "rev", "reverend", "father", "sister", "brother", "uncle", "aunt", "coach", "officer", "chancellor",
          "secretary", "spokesman", "spokeswoman", "chairman", "ceo", "dear", "mister", "madam",
          "господин", "госпожа", "президент", "министр", "генерал"}
MONTHS_AND_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                   "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                   "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
                   "saturday", "sunday"}
ARTICLES = {"the", "a", "an"}
