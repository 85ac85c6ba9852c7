"""to_mrz, to_national_latin and detect_script: ICAO's own examples, Turkic names, properties."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.identity import detect_script, to_mrz, to_mrz_field, to_national_latin

MRZ_WORDS = re.compile(r"([A-Z]+([ -][A-Z]+)*)?")


class TestIcaoExamples:
    """Doc 9303 Part 3, 4.6 (punctuation) and Appendix B (Arabic)."""

    def test_apostrophe_is_dropped(self) -> None:
        assert to_mrz("D’ARTAGNAN") == "DARTAGNAN"
        assert to_mrz("d'Artagnan") == "DARTAGNAN"

    def test_hyphen_separates_components(self) -> None:
        assert to_mrz("Marie-Elise") == "MARIE-ELISE"
        assert to_mrz_field("", "Marie-Elise", 13) == "<<MARIE<ELISE"

    def test_comma_between_identifiers(self) -> None:
        assert to_mrz_field("Eriksson", "Anna, Maria", 20) == "ERIKSSON<<ANNA<MARIA"

    def test_accents(self) -> None:
        assert to_mrz("Térèsa Cañon") == "TERESA CANON"

    def test_arabic_b57(self) -> None:
        name = "ابو بكر محمد بن زكريا الرازي"
        assert to_mrz(name) == "ABW BKR MXHMD BN ZKRYA ALRAZY"

    def test_arabic_b59(self) -> None:
        assert to_mrz("جمال عبد الناصر") == "JMAL EBD ALNAXSSR"
        assert to_mrz("جميلة نعيمة") == "JMYLXAH NEYMXAH"  # teh marbuta ending a component

    def test_shadda_doubles(self) -> None:
        # Table C, note 3: عبّاس becomes EBBAS, فضّة becomes FXDZXDZXAH.
        assert to_mrz("\u0639\u0628\u0651\u0627\u0633") == "EBBAS"
        assert to_mrz("\u0641\u0636\u0651\u0629") == "FXDZXDZXAH"
        assert to_mrz("\u0651") == ""

    def test_teh_marbuta_inside_a_word(self) -> None:
        assert to_mrz("\u0629\u0628") == "XTAB"

    def test_presentation_forms_decompose(self) -> None:
        assert to_mrz("\ufb57") == "P"  # peh, final form


class TestTurkicNames:
    @pytest.mark.parametrize(
        ("name", "mrz"),
        [
            ("Ўткир Раҳимов", "UTKIR RAHIMOV"),
            ("ЎТКИР РАҲИМОВ", "UTKIR RAHIMOV"),
            ("Oʻtkir Rahimov", "OTKIR RAHIMOV"),
            ("Юлия Щукина", "IULIIA SHCHUKINA"),
            ("Подъячев Артём", "PODIEIACHEV ARTEM"),
            ("Игорь", "IGOR"),
            ("Нұрлан Әбдірахманұлы", "NURLAN ABDIRAKHMANULY"),
            ("Қайрат Төлеген Үмбетов", "KAIRAT TOLEGEN UMBETOV"),
            ("Ғайрат Ҳасанов", "GAIRAT HASANOV"),
            ("Ҷӯраев Ӣлҳом", "JURAEV ILHOM"),
            ("Һәсән Ҹавид Ҝүлтәкин", "HASAN CAVID GULTAKIN"),
            ("Məmmədov Elvin", "MAMMADOV ELVIN"),
            ("Şükrü Öztürk", "SUEKRUE OEZTUERK"),
            ("İsmail Işık", "ISMAIL ISIK"),
            ("ismail ışık", "ISMAIL ISIK"),
            ("Çağrı Ağaoğlu", "CAGRI AGAOGLU"),
            ("Nagy-Szabó Ödön", "NAGY-SZABO OEDOEN"),
            ("Nguyễn Thị Đào", "NGUYEN THI DAO"),
            ("Straße", "STRASSE"),
        ],
    )
    def test_examples(self, name: str, mrz: str) -> None:
        assert to_mrz(name) == mrz

    def test_decomposed_input(self) -> None:
        assert to_mrz(unicodedata.normalize("NFD", "Öztürk Йўлдош")) == "OEZTUERK IULDOSH"
        assert to_mrz("i\u0307") == "I"  # i with a combining dot, Turkish lower-case İ

    def test_punctuation_digits_and_spacing(self) -> None:
        assert to_mrz("  Anna   Maria (2nd) ") == "ANNA MARIA ND"
        assert to_mrz("Smith -  Jones") == "SMITH-JONES"
        assert to_mrz("-Anna--Maria-") == "ANNA-MARIA"
        assert to_mrz("ANNA<<MARIA") == "ANNA MARIA"

    def test_other_scripts_do_not_raise(self) -> None:
        assert to_mrz("Ωμέγα") == ""
        assert to_mrz("王小明") == ""
        assert to_mrz("Ａｎｎａ ﬁ") == "ANNA FI"


@given(st.text())
def test_to_mrz_writes_only_the_mrz_alphabet(name: str) -> None:
    assert MRZ_WORDS.fullmatch(to_mrz(name))


@given(st.text(), st.text(), st.integers(min_value=4, max_value=44))
def test_to_mrz_field_has_the_width_and_alphabet(primary: str, secondary: str, width: int) -> None:
    field = to_mrz_field(primary, secondary, width)
    assert len(field) == width
    assert re.fullmatch(r"[A-Z<]*", field)
    assert "<<<" not in field.rstrip("<")


@given(
    st.lists(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=15), min_size=1, max_size=4
    ),
    st.lists(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=15), max_size=4),
    st.sampled_from([30, 31, 39]),
)
def test_to_mrz_field_truncates_to_a_final_letter(
    primary: list[str], secondary: list[str], width: int
) -> None:
    field = to_mrz_field(" ".join(primary), " ".join(secondary), width)
    written = "<".join(primary) + ("<<" + "<".join(secondary) if secondary else "")
    if len(written) <= width:
        assert field == written.ljust(width, "<")
    else:
        assert field[-1] != "<"
        if secondary:
            assert "<<" in field


class TestNationalLatin:
    @pytest.mark.parametrize(
        ("lang", "name", "latin"),
        [
            ("uz", "Ўткир Раҳимов", "Oʻtkir Rahimov"),
            ("uz", "ЎТКИР РАҲИМОВ", "OʻTKIR RAHIMOV"),
            ("uz", "ўткир", "oʻtkir"),
            ("uz", "Ғайрат Қодиров", "Gʻayrat Qodirov"),
            ("uz", "Шоҳрух Холматов", "Shohrux Xolmatov"),
            ("uz", "Ёқубов Жасур", "Yoqubov Jasur"),
            ("uz", "Ергаш Ниёзов", "Yergash Niyozov"),
            ("uz", "Маъмур Неъматов", "Maʼmur Neʼmatov"),
            ("uz", "Юлдуз Яхёева", "Yulduz Yaxyoyeva"),
            ("uz", "Цой", "Tsoy"),
            ("kk", "Нұрлан Әбдірахманұлы", "Nūrlan Äbdırahmanūly"),
            ("kk", "Қайрат Жеңіс", "Qairat Jeñıs"),
            ("kk", "ӨМІРЗАҚ ҮСЕН", "ÖMIRZAQ ÜSEN"),
            ("kk", "Ілияс Шыңғыс", "Iliias Şyñğys"),
            ("az", "Һәсән Гасымов", "Həsən Qasımov"),
            ("az", "Ҹавид Ҝүлтәкин Јусиф", "Cavid Gültəkin Yusif"),
            ("az", "ИЛҺАМ ЧЫНАР", "İLHAM ÇINAR"),
            ("tr", "Шукрю Озтюрк", "Şukryu Oztyurk"),
            ("ru", "Юлия Щукина", "Iuliia Shchukina"),
            ("ru", "Подъячев", "Podieiachev"),
            ("ky", "Сооронбай Жээнбеков", "Sooronbay Jeenbekov"),
            ("ky", "Өмүрбек Чыңгыз", "Omurbek Chyngyz"),
            ("tg", "Ҷӯраев Ғафур", "Jurayev Ghafur"),
            ("tg", "Эмомалӣ Раҳмон", "Emomali Rahmon"),
        ],
    )
    def test_examples(self, lang: str, name: str, latin: str) -> None:
        assert to_national_latin(name, lang) == latin

    @pytest.mark.parametrize(
        ("written", "normalised"),
        [
            ("O'tkir G'ayrat", "Oʻtkir Gʻayrat"),
            ("O`tkir g‘ayrat", "Oʻtkir gʻayrat"),
            ("Oʼtkir", "Oʻtkir"),
            ("Ma'mur Ne’mat", "Maʼmur Neʼmat"),
        ],
    )
    def test_uzbek_apostrophes(self, written: str, normalised: str) -> None:
        assert to_national_latin(written, "uz") == normalised

    def test_latin_passes_through(self) -> None:
        assert to_national_latin("Şükrü Öztürk", "tr") == "Şükrü Öztürk"
        assert to_national_latin("O'Connor", "ru") == "O’Connor"

    def test_other_languages_letters_fall_back_to_the_mrz_table(self) -> None:
        assert to_national_latin("Жеңіс", "uz") == "Jenis"

    def test_unknown_language(self) -> None:
        with pytest.raises(ValueError, match="no national Latin table"):
            to_national_latin("Анна", "de")


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Ўткир", "Cyrl"),
        ("Oʻtkir", "Latn"),
        ("محمد", "Arab"),
        ("Ωμέγα", "Grek"),
        ("王小明", "Hani"),
        ("ანა", "Geor"),
        ("ꓮꓝ", "Zzzz"),
        ("123 -", "Zyyy"),
        ("", "Zyyy"),
        ("Anna Аннова", "Cyrl"),
        ("Ａｎｎａ", "Latn"),
    ],
)
def test_detect_script(name: str, script: str) -> None:
    assert detect_script(name) == script
