"""Reading in every language: sentences, an inflected place resolved, actors, a hedged quantity with its key.

Each report is invented for these tests (a flood in a town, with made-up officials and figures); none
is a translation of another text.
"""

from __future__ import annotations

import pytest

from storyline.models import Article
from storyline.read.actors import find_actors
from storyline.read.places import find_places
from storyline.read.quantities import find_quantities
from storyline.read.reader import read_articles
from storyline.read.sentences import split_sentences
from storyline.text import fold_key

# Invented reports, one per language: a flood in a town, with figures, officials and national groups.
REPORTS = {
    "fr": ("Inondations : plus de 1 200 personnes évacuées à Grenoble. Le ministère de l'Intérieur a annoncé "
           "mardi l'envoi de renforts. Le préfet Julien Morvan a salué l'aide de pompiers italiens. "
           "Des habitants attendent toujours à Voiron."),
    "es": ("Inundaciones en Zaragoza: más de 1.200 personas evacuadas. El Ministerio del Interior anunció el martes "
           "el envío de refuerzos. La alcaldesa Marta Iribarren agradeció la ayuda de bomberos portugueses."),
    "it": ("Alluvione a Verona: oltre 1.200 persone evacuate. Il ministero dell'Interno ha annunciato martedì "
           "l'invio di rinforzi. Il sindaco Paolo Ranieri ha ringraziato i vigili del fuoco sloveni."),
    "pt": ("Cheias em Coimbra: mais de 1.200 pessoas retiradas. O Ministério da Administração Interna anunciou "
           "na terça-feira o envio de reforços. O autarca Nuno Valadares agradeceu aos bombeiros espanhóis."),
    "de": ("Hochwasser in Passau: Mehr als 1.200 Menschen wurden in Sicherheit gebracht. Das Innenministerium "
           "kündigte am Dienstag Verstärkung an. Bürgermeisterin Karin Oswald dankte den österreichischen Helfern."),
    "ru": ("Наводнение в Томске: более 1 200 человек эвакуированы. Министерство по чрезвычайным ситуациям "
           "сообщило во вторник о направлении спасателей. Губернатор Павел Ермаков поблагодарил казахских "
           "добровольцев."),
    "uk": ("Повінь у Вінниці: понад 1 200 людей евакуйовано. Державна служба з надзвичайних ситуацій повідомила "
           "у вівторок про відправку рятувальників. Мер Андрій Ковальчук подякував польським волонтерам."),
    "tr": ("Sel felaketi: Samsun'da 1.200'den fazla kişi tahliye edildi. İçişleri Bakanlığı salı günü bölgeye ek "
           "ekip gönderildiğini açıkladı. Vali Kemal Aydınlı, Gürcü gönüllülere teşekkür etti."),
    "az": ("Daşqın: Şəkidə 1200-dən çox nəfər təxliyə edilib. Fövqəladə Hallar Nazirliyi çərşənbə axşamı bölgəyə "
           "əlavə qüvvələr göndərildiyini açıqlayıb. Başçı Rauf Həsənli gürcü könüllülərə təşəkkür edib."),
    "hy": ("Ջրհեղեղ Գյումրիում. ավելի քան 1200 մարդ տարհանվել է։ Արտակարգ իրավիճակների նախարարությունը "
           "երեքշաբթի հայտնել է լրացուցիչ ուժեր ուղարկելու մասին։ Քաղաքապետ Արմեն Պողոսյանը շնորհակալություն "
           "է հայտնել վրացական կամավորներին։"),
    "ar": ("فيضانات في حمص: إجلاء أكثر من ١٢٠٠ شخص. وأعلنت وزارة الداخلية يوم الثلاثاء إرسال تعزيزات. "
           "وشكر المحافظ سامر الخطيب المتطوعين اللبنانيين."),
    "fa": ("سیل در شیراز: بیش از ۱۲۰۰ نفر تخلیه شدند. وزارت کشور روز سه‌شنبه از اعزام نیروهای کمکی خبر داد. "
           "استاندار مهدی کاظمی از داوطلبان افغان تشکر کرد."),
    "zh": ("成都发生洪灾，超过1200人被疏散。应急管理部周二宣布派出增援力量。市长感谢日本志愿者的帮助。"),
}

# language: (place as written, its gazetteer name, country), a national group's key, a person or organisation.
EXPECTED = {
    "fr": (("Grenoble", "Grenoble", "FR"), "norp:IT", "per:julien morvan"),
    "es": (("Zaragoza", "Zaragoza", "ES"), "norp:PT", "per:marta iribarren"),
    "it": (("Verona", "Verona", "IT"), "norp:SI", "per:paolo ranieri"),
    "pt": (("Coimbra", "Coimbra", "PT"), "norp:ES", "per:nuno valadares"),
    "de": (("Passau", "Passau", "DE"), "norp:AT", "per:karin oswald"),
    "ru": (("Томске", "Tomsk", "RU"), "norp:KZ", "per:павел ермаков"),
    "uk": (("Вінниці", "Vinnytsya", "UA"), "norp:PL", "per:андрі ковальчук"),
    "tr": (("Samsun", "Samsun", "TR"), "norp:GE", "per:kemal aydinli"),
    "az": (("Şəkidə", "Sheki", "AZ"), "norp:GE", "per:rauf hesenli"),
    "hy": (("Գյումրիում", "Gyumri", "AM"), "norp:GE", "per:արմեն պողոսյանը"),
    "ar": (("حمص", "Homs", "SY"), "norp:LB", "per:سامر الخطيب"),
    "fa": (("شیراز", "Shiraz", "IR"), "norp:AF", "per:مهدی کاظمی"),
    "zh": (("成都", "Chengdu", "CN"), "norp:JP", "org:emergency ministry"),
}


@pytest.mark.parametrize("language", sorted(REPORTS))
def test_report_is_read_in_its_language(language):
    text = REPORTS[language]
    (surface, name, country), group, actor = EXPECTED[language]
    sentences = split_sentences(text)
    assert len(sentences) >= 3, sentences
    places = find_places(text, language, [], sentences)
    resolved = {m.text: places.places[m.place_id] for m in places.mentions if m.place_id}
    assert surface in resolved, resolved
    assert (resolved[surface].name, resolved[surface].country) == (name, country)
    keys = {e.key for e in find_actors(text, language, [], {fold_key(s) for s in resolved})}
    assert group in keys and actor in keys, keys
    assert any(e.label == "ORG" for e in find_actors(text, language, [], set())), "no organisation found"
    (q,) = [q for q in find_quantities(text, language) if q.counted_key]
    assert (q.value, q.approx, q.counted_key) == (1200, "over", "people")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Le maire de la commune a parlé. Des milliers de personnes ont manifesté. Nice tentative, a-t-il dit."),
        ("de", "Das Essen wurde verteilt. Der Hof blieb geschlossen."),
        ("tr", "Bir tanık patlamayı anlattı. Ordu operasyonlarına devam edecek."),
        ("fa", "سخنگوی دولت از ادامه مذاکرات خبر داد و گفت روز دوشنبه جلسه برگزار می‌شود."),
        ("ar", "أعلنت وزارة الداخلية أن المفاوضات ستستأنف يوم الاثنين."),
        ("zh", "新华社报道，和平进程仍在继续，谈判将于周一恢复。"),
    ],
)
def test_ordinary_words_are_not_towns(language, text):
    found = find_places(text, language, [], split_sentences(text))
    assert [m.text for m in found.mentions if m.place_id] == []


def test_inflected_and_glued_names():
    cases = [
        ("uk", "Делегація прибула до Харкова, а потім у Львові.", {"Харкова": "Kharkiv", "Львові": "Lviv"}),
        ("tr", "Bakanlar Trabzon'da toplandı, ardından Bursa'ya gitti.", {"Trabzon": "Trabzon", "Bursa": "Bursa"}),
        ("az", "Nümayəndə heyəti Lənkərana gəlib, sonra Qubada olub.", {"Lənkərana": "Lankaran", "Qubada": "Quba"}),
        ("hy", "Պատվիրակությունը Վանաձորից մեկնել է Դիլիջան։", {"Վանաձորից": "Vanadzor"}),
        ("ar", "وصل الوفد إلى حلب ثم توجه ببغداد.", {"حلب": "Aleppo", "ببغداد": "Baghdad"}),
        ("zh", "代表团抵达西安，随后前往杭州市。", {"西安": "Xi’an", "杭州市": "Hangzhou"}),
    ]
    for language, text, expected in cases:
        found = find_places(text, language, [], split_sentences(text))
        names = {m.text: found.places[m.place_id].name for m in found.mentions if m.place_id}
        for surface, name in expected.items():
            assert names.get(surface) == name, (language, names)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Քաղաքում անձրև է։ Ճանապարհները փակ են։", 2),
        ("هل انتهت الأزمة؟ لا أحد يعرف.", 2),
        ("洪水退去。居民返回家园！道路恢复通行？", 3),
        ("बाढ़ आई। लोग सुरक्षित हैं।", 2),
        ("Il a dit 3.5 millions. Puis il est parti.", 2),
    ],
)
def test_sentences_end_at_each_script_s_own_stops(text, count):
    assert len(split_sentences(text)) == count, split_sentences(text)


def test_reader_fills_annotations_for_languages_without_a_model():
    articles = [Article(id=f"a-{code}", text=REPORTS[code], language=code) for code in ("fr", "tr", "ar", "zh", "hy")]
    for layer, places in read_articles(articles):
        assert layer.sentences and layer.entities and layer.places, layer.language
        assert any(q.counted_key == "people" for q in layer.quantities)
        assert places


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Le ministère de la Défense a publié un communiqué."),
        ("es", "El Ministerio de Defensa publicó un comunicado."),
        ("it", "Il ministero della Difesa ha diffuso una nota."),
        ("pt", "O Ministério da Defesa divulgou uma nota."),
        ("de", "Das Verteidigungsministerium veröffentlichte eine Erklärung."),
        ("tr", "Savunma Bakanlığı bir açıklama yaptı."),
        ("uk", "Міністерство оборони повідомило про навчання."),
        ("hy", "Պաշտպանության նախարարությունը հայտարարություն է տարածել։"),
        ("ar", "أصدرت وزارة الدفاع بيانا."),
        ("fa", "وزارت دفاع بیانیه‌ای منتشر کرد."),
        ("zh", "国防部发表声明。"),
    ],
)
def test_an_institution_has_one_key_in_every_language(language, text):
    english = "The Defense Ministry issued a statement."
    (ministry,) = find_actors(english, "en", [(4, 20, "ORG")])
    keys = {e.key for e in find_actors(text, language, []) if e.label == "ORG"}
    assert keys == {ministry.key} == {"org:defense ministry"}


def test_a_named_country_qualifies_the_institution_alike():
    english = find_actors("Spain's Defense Ministry said so.", "en", [(8, 24, "ORG")])
    spanish = find_actors("El Ministerio de Defensa de España lo dijo.", "es", [])
    assert {e.key for e in english} == {e.key for e in spanish if e.label == "ORG"} == {"org:ES:defense ministry"}
