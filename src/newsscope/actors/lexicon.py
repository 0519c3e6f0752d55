"""Word lists behind the alias rules: titles, name suffixes and particles, demonyms, abbreviations.

Everything here is data, kept apart from the rules in :mod:`newsscope.actors.aliases` so that it
can be read (and extended) at a glance. Entries are compared on :func:`~newsscope.actors.aliases.
name_key` keys: case, dots, hyphens and diacritics do not matter (``U.S.`` = ``US`` = ``us``).
The user's actor dictionary (``data/actors.csv``) overrides every entry here.
"""

from __future__ import annotations

__all__ = [
    "TITLES", "TITLE_PREFIXES", "TRANSLITERATIONS", "KEEP_THE", "NON_NAME_WORDS", "NAME_SUFFIXES", "SURNAME_PARTICLES", "DEMONYMS", "ABBREVIATIONS", "ACRONYM_STOPWORDS",
]

#: Titles and honorifics stripped from the start of a name (longest first when matched).
#: Royal and religious styles that are part of how a person is named (King Salman, Pope Francis,
#: Queen Elizabeth, Prince Harry, Sheikh Tamim) are deliberately *not* here.
TITLES: tuple[str, ...] = (
    # politics and government
    "president-elect", "president elect", "president", "vice president", "vice-president", "vp",
    "former president", "ex-president", "prime minister", "deputy prime minister", "pm", "premier",
    "chancellor", "foreign minister", "defence minister", "defense minister", "finance minister",
    "interior minister", "minister", "deputy minister", "secretary of state", "secretary-general",
    "secretary general", "un secretary-general", "secretary", "attorney general", "attorney-general",
    "senator", "sen", "state senator", "representative", "rep", "congressman", "congresswoman",
    "governor", "gov", "mayor", "speaker", "house speaker", "chairman", "chairwoman", "chair",
    "spokesman", "spokeswoman", "spokesperson", "commissioner", "ambassador", "envoy",
    "supreme leader", "leader", "opposition leader", "crown prince", "candidate", "nominee",
    "first lady", "taoiseach", "tanaiste", "press secretary", "white house press secretary", "chief of staff",
    # courtesy titles
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "baroness",
    # military, police, judiciary, clergy
    "general", "gen", "lieutenant general", "lt gen", "lt", "lieutenant", "colonel", "col", "major",
    "maj", "captain", "capt", "sergeant", "sgt", "admiral", "adm", "commander", "field marshal",
    "superintendent", "chief superintendent", "inspector", "detective", "constable", "officer", "chief",
    "chairperson", "chief executive", "ceo", "founder", "coach", "manager", "striker", "midfielder",
    "judge", "justice", "chief justice", "rev", "reverend", "ayatollah", "grand ayatollah", "cardinal",
    "archbishop", "bishop", "pastor", "imam", "rabbi",
)

#: Words that may precede a title and go with it ("former President", "acting Secretary").
TITLE_PREFIXES: tuple[str, ...] = ("former", "ex", "then", "acting", "interim", "late", "outgoing", "incoming", "new", "deputy", "senior")

#: Token-level transliteration variants treated as the same spelling (left -> right). Only
#: spellings of the same name; surnames that differ in more than transliteration are left to the
#: actor dictionary.
TRANSLITERATIONS: dict[str, str] = {
    "sergei": "sergey", "alexei": "alexey", "aleksei": "alexey", "aleksey": "alexey", "andrei": "andrey",
    "dmitri": "dmitry", "dmitriy": "dmitry", "yuri": "yury", "yuriy": "yury", "nikolai": "nikolay",
    "maxim": "maksim", "evgeny": "yevgeny", "evgeniy": "yevgeny",
    "mohammad": "mohammed", "muhammad": "mohammed", "mohamed": "mohammed", "mohamad": "mohammed",
    "qaida": "qaeda", "qaddafi": "gaddafi", "kadhafi": "gaddafi", "qadhafi": "gaddafi",
    "hizbollah": "hezbollah", "hizbullah": "hezbollah", "hezbullah": "hezbollah",
    "zelenskyy": "zelensky", "zelenskiy": "zelensky",
}

#: Names whose leading "The" is part of the name (not stripped).
KEEP_THE: frozenset[str] = frozenset({"hague", "gambia", "bahamas"})

#: Words that do not occur in people's names: a PERSON-labelled name containing one ("Trump
#: Tower", "Obama White House", "Lockheed Martin Corp") is not taken as a person's full name.
NON_NAME_WORDS: frozenset[str] = frozenset({
    # (common surnames such as Park, Church, Bill, Law, Post or Street are deliberately absent)
    "house", "tower", "towers", "administration", "organization", "organisation", "foundation", "campaign", "team",
    "university", "college", "hotel", "group", "party", "company", "corp", "corporation", "inc", "ltd", "airlines",
    "airways", "council", "committee", "ministry", "department", "agency", "army", "forces", "news", "times",
    "square", "airport", "station", "hospital", "school", "mosque", "centre", "center", "institute", "fund",
    "trust", "club", "fc", "live", "lobby", "era", "doctrine", "tweets", "supporters", "voters", "cabinet",
    "government", "regime",
})

#: Generational suffixes: part of a name, they keep people apart (Donald Trump vs Donald Trump Jr.).
NAME_SUFFIXES: frozenset[str] = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: Lower-case particles that begin a surname (``Le Pen``, ``de Blasio``, ``al-Assad``, ``van der Bellen``).
SURNAME_PARTICLES: frozenset[str] = frozenset({
    "le", "la", "de", "del", "della", "di", "da", "dos", "das", "du", "van", "von", "der", "den", "ter",
    "al", "el", "bin", "ibn", "abu", "ben", "mac", "st",
})

#: Words ignored when matching an acronym against the initials of a long form.
ACRONYM_STOPWORDS: frozenset[str] = frozenset({"of", "the", "and", "for", "in", "on", "to", "a", "an", "&", "de", "du", "des", "la", "le"})

#: NORP mention -> country, used when NORP is mapped to countries (``norp="country"``).
#: Keys are nationality adjectives and plural nouns; religious, political and ethnic groups
#: (Muslims, Republicans, Kurds) are not countries and are left to the actor dictionary.
_DEMONYM_ROWS: dict[str, tuple[str, ...]] = {
    "United States": ("american", "americans", "us", "u.s."),
    "United Kingdom": ("british", "briton", "britons", "brit", "brits", "uk"),
    "Russia": ("russian", "russians"),
    "China": ("chinese",),
    "France": ("french", "frenchman", "frenchwoman"),
    "Germany": ("german", "germans"),
    "Japan": ("japanese",),
    "India": ("indian", "indians"),
    "Syria": ("syrian", "syrians"),
    "Iran": ("iranian", "iranians", "persian"),
    "Iraq": ("iraqi", "iraqis"),
    "Israel": ("israeli", "israelis"),
    "Palestine": ("palestinian", "palestinians"),
    "Turkey": ("turkish", "turk", "turks"),
    "North Korea": ("north korean", "north koreans"),
    "South Korea": ("south korean", "south koreans"),
    "Ukraine": ("ukrainian", "ukrainians"),
    "Saudi Arabia": ("saudi", "saudis"),
    "Afghanistan": ("afghan", "afghans"),
    "Pakistan": ("pakistani", "pakistanis"),
    "Egypt": ("egyptian", "egyptians"),
    "Canada": ("canadian", "canadians"),
    "Mexico": ("mexican", "mexicans"),
    "Australia": ("australian", "australians"),
    "Italy": ("italian", "italians"),
    "Spain": ("spanish", "spaniard", "spaniards"),
    "Brazil": ("brazilian", "brazilians"),
    "Philippines": ("filipino", "filipinos", "philippine"),
    "Yemen": ("yemeni", "yemenis"),
    "Libya": ("libyan", "libyans"),
    "Qatar": ("qatari", "qataris"),
    "Ireland": ("irish",),
    "Scotland": ("scottish", "scot", "scots"),
    "Wales": ("welsh",),
    "England": ("english",),
    "Poland": ("polish", "pole", "poles"),
    "Greece": ("greek", "greeks"),
    "Netherlands": ("dutch",),
    "Belgium": ("belgian", "belgians"),
    "Sweden": ("swedish", "swede", "swedes"),
    "Norway": ("norwegian", "norwegians"),
    "Denmark": ("danish", "dane", "danes"),
    "Finland": ("finnish", "finn", "finns"),
    "Austria": ("austrian", "austrians"),
    "Switzerland": ("swiss",),
    "Portugal": ("portuguese",),
    "Hungary": ("hungarian", "hungarians"),
    "Romania": ("romanian", "romanians"),
    "Bulgaria": ("bulgarian", "bulgarians"),
    "Czech Republic": ("czech", "czechs"),
    "Slovakia": ("slovak", "slovaks"),
    "Serbia": ("serbian", "serbians", "serb", "serbs"),
    "Croatia": ("croatian", "croatians", "croat", "croats"),
    "Albania": ("albanian", "albanians"),
    "Belarus": ("belarusian", "belarusians"),
    "Moldova": ("moldovan", "moldovans"),
    "Georgia": ("georgian", "georgians"),
    "Armenia": ("armenian", "armenians"),
    "Azerbaijan": ("azerbaijani", "azerbaijanis", "azeri", "azeris"),
    "Kazakhstan": ("kazakh", "kazakhs", "kazakhstani"),
    "Uzbekistan": ("uzbek", "uzbeks"),
    "Kyrgyzstan": ("kyrgyz",),
    "Tajikistan": ("tajik", "tajiks"),
    "Turkmenistan": ("turkmen",),
    "Mongolia": ("mongolian", "mongolians"),
    "Estonia": ("estonian", "estonians"),
    "Latvia": ("latvian", "latvians"),
    "Lithuania": ("lithuanian", "lithuanians"),
    "Cuba": ("cuban", "cubans"),
    "Venezuela": ("venezuelan", "venezuelans"),
    "Colombia": ("colombian", "colombians"),
    "Argentina": ("argentine", "argentinian", "argentinians", "argentines"),
    "Chile": ("chilean", "chileans"),
    "Peru": ("peruvian", "peruvians"),
    "Bolivia": ("bolivian", "bolivians"),
    "Ecuador": ("ecuadorian", "ecuadorians"),
    "Haiti": ("haitian", "haitians"),
    "Nigeria": ("nigerian", "nigerians"),
    "Kenya": ("kenyan", "kenyans"),
    "South Africa": ("south african", "south africans"),
    "Somalia": ("somali", "somalis"),
    "Sudan": ("sudanese",),
    "South Sudan": ("south sudanese",),
    "Ethiopia": ("ethiopian", "ethiopians"),
    "Eritrea": ("eritrean", "eritreans"),
    "Uganda": ("ugandan", "ugandans"),
    "Rwanda": ("rwandan", "rwandans"),
    "Ghana": ("ghanaian", "ghanaians"),
    "Gambia": ("gambian", "gambians"),
    "Mali": ("malian", "malians"),
    "Zimbabwe": ("zimbabwean", "zimbabweans"),
    "Algeria": ("algerian", "algerians"),
    "Morocco": ("moroccan", "moroccans"),
    "Tunisia": ("tunisian", "tunisians"),
    "Jordan": ("jordanian", "jordanians"),
    "Lebanon": ("lebanese",),
    "United Arab Emirates": ("emirati", "emiratis"),
    "Kuwait": ("kuwaiti", "kuwaitis"),
    "Bahrain": ("bahraini", "bahrainis"),
    "Oman": ("omani", "omanis"),
    "Indonesia": ("indonesian", "indonesians"),
    "Malaysia": ("malaysian", "malaysians"),
    "Thailand": ("thai",),
    "Vietnam": ("vietnamese",),
    "Myanmar": ("burmese",),
    "Bangladesh": ("bangladeshi", "bangladeshis"),
    "Sri Lanka": ("sri lankan", "sri lankans"),
    "Nepal": ("nepali", "nepalese"),
    "Taiwan": ("taiwanese",),
    "New Zealand": ("new zealander", "new zealanders"),
    "Soviet Union": ("soviet", "soviets"),
}
DEMONYMS: dict[str, str] = {form: country for country, forms in _DEMONYM_ROWS.items() for form in forms}

#: Canonical name -> (type, variants). Abbreviations and long forms that are safe in any news
#: corpus; compared on name keys, so ``U.S.``, ``US`` and ``the United States`` all match. The
#: canonical name is the form readers know best: full names for countries, acronyms for most
#: organisations.
ABBREVIATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "United States": ("GPE", ("us", "usa", "u.s.a.", "united states", "united states of america")),
    "United Kingdom": ("GPE", ("uk", "u.k.", "britain", "great britain", "united kingdom",
                               "united kingdom of great britain and northern ireland")),
    "EU": ("ORG", ("eu", "e.u.", "european union")),
    "UN": ("ORG", ("un", "u.n.", "united nations", "uno")),
    "UN Security Council": ("ORG", ("un security council", "united nations security council", "unsc",
                                    "security council", "u.n. security council")),
    "UN General Assembly": ("ORG", ("un general assembly", "united nations general assembly", "unga")),
    "NATO": ("ORG", ("nato", "north atlantic treaty organization", "north atlantic treaty organisation",
                     "north atlantic alliance")),
    "United Arab Emirates": ("GPE", ("uae", "united arab emirates")),
    "Soviet Union": ("GPE", ("ussr", "soviet union", "union of soviet socialist republics")),
    "North Korea": ("GPE", ("north korea", "dprk", "democratic people's republic of korea",
                            "democratic peoples republic of korea")),
    "South Korea": ("GPE", ("south korea", "republic of korea", "rok")),
    "China": ("GPE", ("china", "prc", "people's republic of china", "peoples republic of china", "mainland china")),
    "Russia": ("GPE", ("russia", "russian federation")),
    "Czech Republic": ("GPE", ("czech republic", "czechia")),
    "DR Congo": ("GPE", ("drc", "dr congo", "democratic republic of congo",
                                             "democratic republic of the congo")),
    "Islamic State": ("ORG", ("islamic state", "isis", "isil", "islamic state of iraq and the levant",
                              "islamic state of iraq and syria", "daesh", "daish", "islamic state group")),
    "al-Qaeda": ("ORG", ("al-qaeda", "al qaeda", "al-qaida", "al qaida", "alqaeda")),
    "WHO": ("ORG", ("who", "world health organization", "world health organisation")),
    "IMF": ("ORG", ("imf", "international monetary fund")),
    "WTO": ("ORG", ("wto", "world trade organization", "world trade organisation")),
    "OPEC": ("ORG", ("opec", "organization of the petroleum exporting countries")),
    "FBI": ("ORG", ("fbi", "federal bureau of investigation")),
    "CIA": ("ORG", ("cia", "central intelligence agency")),
    "NSA": ("ORG", ("nsa", "national security agency")),
    "Department of Homeland Security": ("ORG", ("dhs", "department of homeland security", "homeland security department")),
    "Republican Party": ("ORG", ("gop", "republican party", "grand old party")),
    "Democratic Party": ("ORG", ("democratic party",)),
    "ASEAN": ("ORG", ("asean", "association of southeast asian nations")),
    "OSCE": ("ORG", ("osce", "organization for security and co-operation in europe",
                                                                     "organization for security and cooperation in europe")),
}
