"""The library of Russian word forms (mentoring_site/lib/morphology.py) the text search stands on,
and that the name search of later issues will use: a small API over pymorphy3 (issue 22)."""

from mentoring_site.lib import morphology


def test_the_words_of_a_text_in_lower_case_without_punctuation():
    assert morphology.words("Цикл родительских собраний, из-за Д'Артаньяна!") == [
        "цикл",
        "родительских",
        "собраний",
        "из-за",
        "д'артаньяна",
    ]


def test_the_normal_form_of_a_word():
    assert morphology.normal_form("собраний") == "собрание"
    assert morphology.normal_form("Родительских") == "родительский"
    assert morphology.normal_form("детьми") == "ребёнок"


def test_the_lemmas_of_two_forms_of_a_phrase_are_the_same():
    assert morphology.lemmas("родительских собраний") == {"родительский", "собрание"}
    assert morphology.lemmas("Родительские собрания") == morphology.lemmas("родительских собраний")
    assert morphology.lemmas("") == set()


def test_an_ambiguous_word_keeps_every_reading():
    assert {"стать", "сталь"} <= morphology.normal_forms("стали")


def test_every_form_of_a_word():
    forms = morphology.word_forms("ребёнок")
    assert {"ребёнок", "ребёнка", "дети", "детей", "детьми"} <= forms
