"""Word lists for the synthetic agency.  Combinations are random: no real person is described."""

# Given names from many languages and scripts, with apostrophes, hyphens and diacritics.
GIVEN_NAMES = [
    "Amara", "José", "Zoë", "Siobhán", "D'Andre", "Mary-Kate", "Jean-Luc", "Tenzin", "Aroha",
    "Nguyệt", "Thảo", "Minh", "Ifeoma", "Chidi", "Kwame", "Ama", "Yetunde", "Oluwaseun",
    "Saoirse", "Émilie", "François", "Björn", "Søren", "Łucja", "Grzegorz", "Dragoș", "Ayşe",
    "Mehmet", "Noa", "Itzel", "Xochitl", "Guadalupe", "Joaquín", "Ximena", "Marisol", "Inés",
    "Kai", "Rowan", "Sky", "River", "Alex", "Sam", "Jordan", "Quinn", "Avery", "Jamie",
    "Lakshmi", "Arjun", "Priya", "Ananya", "Farhan", "Nasrin", "Darius", "Shirin", "Layla",
    "Omar", "Yusuf", "Fatima", "Hamza", "Mariam", "Keoni", "Leilani", "Malia", "Tatanka",
    "Winona", "Ahanu", "Sakura", "Haruto", "Yuki", "Ji-woo", "Seo-yeon", "Min-jun", "Wei",
    "Mei", "Jun", "Xiaoling", "Bich", "Rahel", "Dawit", "Selam", "Abebe", "Anastasia",
    "Dmitri", "Oksana", "Taras", "Eleni", "Nikos", "Chaim", "Tova", "Rivka", "Mateo",
    "王芳", "李娜", "민준", "서연", "ليلى", "يوسف", "Алина", "Олег", "प्रिया", "अर्जुन",
    "Ελένη", "Νίκος", "נועה", "ሰላም", "ทองดี", "Ngozi", "Thandiwe", "Sipho", "Zanele",
]  # fmt: skip

FAMILY_NAMES = [
    "", "", "", "García", "Nguyễn", "O'Connor", "Okafor", "Adeyemi", "Mensah", "Hernández",
    "Smith-Jones", "Kowalczyk", "Öztürk", "Haddad", "Khan", "Patel", "Tanaka", "Kim", "Park",
    "Chen", "Wang", "Begay", "Yazzie", "Kahananui", "Tesfaye", "Ivanova", "Papadopoulos",
    "Cohen", "Dlamini", "Ndlovu", "da Silva", "van der Berg", "MacLeod", "Ó Súilleabháin",
    "López de la Cruz", "Al-Farsi", "Bui", "Tran", "Abebe", "Moreau", "Nakamura", "Santos",
]  # fmt: skip

PRONOUNS = [
    ("she/her", 34), ("he/him", 30), ("they/them", 12), ("she/they", 4), ("he/they", 3),
    ("ze/zir", 1), ("any pronouns", 2), ("use my name", 2), ("", 12),
]  # fmt: skip

# (BCP-47 tag, weight, share who ask for an interpreter)
LANGUAGES = [
    ("en", 55, 0.0), ("es", 20, 0.55), ("vi", 5, 0.6), ("zh-Hans", 4, 0.6), ("ar", 3, 0.6),
    ("ko", 2, 0.5), ("tl", 2, 0.3), ("ru", 2, 0.5), ("ht", 2, 0.6), ("ase", 2, 1.0),
    ("fr", 1, 0.3), ("am", 1, 0.6), ("so", 1, 0.7),
]  # fmt: skip

STAFF_NAMES = [
    ("Rosa Delgado", "she/her"), ("Marcus Bell", "he/him"), ("Aiyana Redcloud", "she/they"),
    ("Kenji Watanabe", "he/him"), ("Fatou Diallo", "she/her"), ("Sasha Petrov", "they/them"),
    ("Imani Okoro", "she/her"), ("Tomás Ruiz", "he/him"), ("Hana Lee", "she/her"),
    ("Dev Raman", "he/they"), ("Grace Mwangi", "she/her"), ("Eli Novak", "they/them"),
]  # fmt: skip
