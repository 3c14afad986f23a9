"""Words of diplomatic reporting the reader knows without the records: countries' adjectives."""

# A country's adjective, as titles use it: "Armenian Foreign Minister".
DEMONYMS = {
    "Afghan": "Afghanistan", "Albanian": "Albania", "Algerian": "Algeria", "American": "United States",
    "Armenian": "Armenia", "Australian": "Australia", "Austrian": "Austria", "Azerbaijani": "Azerbaijan",
    "Bangladeshi": "Bangladesh", "Belarusian": "Belarus", "Belgian": "Belgium", "Brazilian": "Brazil",
    "British": "United Kingdom", "Bulgarian": "Bulgaria", "Canadian": "Canada", "Chinese": "China",
    "Croatian": "Croatia", "Cypriot": "Cyprus", "Czech": "Czech Republic", "Danish": "Denmark", "Dutch": "Netherlands",
    "Egyptian": "Egypt", "Emirati": "United Arab Emirates", "Estonian": "Estonia", "Ethiopian": "Ethiopia",
    "Finnish": "Finland", "French": "France", "Georgian": "Georgia", "German": "Germany", "Greek": "Greece",
    "Hungarian": "Hungary", "Indian": "India", "Indonesian": "Indonesia", "Iranian": "Iran", "Iraqi": "Iraq",
    "Irish": "Ireland", "Israeli": "Israel", "Italian": "Italy", "Japanese": "Japan", "Jordanian": "Jordan",
    "Kazakh": "Kazakhstan", "Kazakhstani": "Kazakhstan", "Korean": "South Korea", "Kuwaiti": "Kuwait",
    "Kyrgyz": "Kyrgyzstan", "Latvian": "Latvia", "Lebanese": "Lebanon", "Libyan": "Libya", "Lithuanian": "Lithuania",
    "Malaysian": "Malaysia", "Moldovan": "Moldova", "Mongolian": "Mongolia", "Moroccan": "Morocco",
    "Nigerian": "Nigeria", "Norwegian": "Norway", "Omani": "Oman", "Pakistani": "Pakistan",
    "Palestinian": "Palestine", "Polish": "Poland", "Portuguese": "Portugal", "Qatari": "Qatar",
    "Romanian": "Romania", "Russian": "Russia", "Saudi": "Saudi Arabia", "Serbian": "Serbia", "Slovak": "Slovakia",
    "Spanish": "Spain", "Swedish": "Sweden", "Swiss": "Switzerland", "Syrian": "Syria", "Tajik": "Tajikistan",
    "Turkish": "Türkiye", "Turkmen": "Turkmenistan", "Ukrainian": "Ukraine", "Uzbek": "Uzbekistan",
}  # fmt: skip
# Words that stand for a country or a body in a title: "U.S. Deputy Secretary of State", "UN Secretary-General".
COUNTRIES = set(DEMONYMS.values()) | {"U.S.", "US", "UN", "EU", "OSCE", "NATO", "OTS", "CIS", "UK", "UAE"}

# The field a minister or a ministry has, as titles word it, and the word its records' names hold.
FIELDS = {
    "Foreign": "foreign",
    "Foreign Affairs": "foreign",
    "Energy": "energy",
    "Energy and Natural Resources": "energy",
    "Transport": "transport",
    "Economy": "econom",
    "Defence": "defen",
    "Defense": "defen",
    "Finance": "financ",
    "Trade": "trade",
    "Digital Development": "digital",
    "Interior": "interior",
}
