"""How ``languages.detect_confident`` thresholds trade wrong languages against recognised ones.

A corpus of short and long texts in 21 languages (English ones full of foreign names, dishes
and places, the texts that used to be read in the wrong language) is scored by lingua with
every language it knows as a candidate. For a grid of confidence and margin thresholds (with
``MIN_LETTERS`` letters at least, and the script-decided shortcut), the table prints how many
texts were given a wrong language and how many non-English texts of 20 letters or more were
still recognised. The chosen thresholds are the row marked ``*``.

Run: ``python -m bench.language_detection``.
"""

from __future__ import annotations

from seesay.engines import languages

EN = [
    "Open the door", "Format test.", "Bearer test.", "Hi.", "Hello from SeeSay.",
    "Thank you very much.", "Please close the window now.", "The cat sat on the mat.",
    "Turn left at the next corner.", "Where is the train station?",
    "I need help with my account password.",
    "A red car is parked in front of a small white house.", "Meeting at 10:30 in room B.",
    "Version 2.0 released.", "Bearer token rotation test.", "Format the disk before use.",
    "Submit the form and wait.", "Pasta, tomato sauce and parmesan cheese.",
    "Maria Gonzalez, Juan Carlos and Pedro.", "Paris, Berlin, Rome and Madrid.",
    "Restaurant menu: pizza, lasagne, tiramisu.", "Kubernetes cluster upgrade failed.",
    "Taxi to the airport, please.", "Good morning, Sofia.", "Café latte and croissant.",
    "Check the status of job 42 in the dashboard.", "Your order has been shipped.",
    "Press the red button to start recording.", "Battery low, plug in the charger.",
    "Happy birthday, Lorenzo!", "The quick brown fox jumps over the lazy dog.",
    "This is a picture of a dog sitting on a sofa next to a lamp.",
    "A person holding an umbrella in the rain.",
    "Two people are walking along a beach at sunset.",
    "Text on the sign reads: Exit only. No parking.", "Salt, pepper, olive oil and garlic.",
    "Amazon Prime Video subscription renewed.", "Tokyo Tower at night.",
    "Volkswagen Golf GTI for sale.",
    "Antonio Banderas and Penelope Cruz attended the premiere.",
    "Liquid crystal display, aluminium frame.", "Sergio, Paolo and Francesca went home.",
    "Panorama of the Alps.", "Adios amigo, said the cowboy.", "Mamma mia, here I go again.",
    "Welcome to Malmö, Sweden, where the winters are long.",
    "Photo of the Eiffel Tower in Paris at night, with lights.",
    "The Café Müller opens at nine.", "Bruschetta, risotto and gelato for dessert.",
    "Señor Frog's bar and grill on Main Street.", "Guacamole, tortilla chips and salsa verde.",
    "Sushi, sashimi and miso soup.", "Schadenfreude is a German word.",
    "Déjà vu all over again.", "Bon appétit, everyone!", "Ravioli with ricotta and spinach.",
    "Volvo, Saab, Ikea and Ericsson.", "Hakuna matata means no worries.",
    "Jose Mourinho and Carlo Ancelotti.", "Ole Gunnar Solskjaer, Manchester.",
    "Pro tip: use Ctrl+S often.", "Error 404: page not found.",
    "Download complete. Installing updates.", "Alpha, beta, gamma, delta.",
    "Tortellini in brodo, a bowl of soup.", "Okonomiyaki and takoyaki in Osaka.",
    "Sign: Ausgang / Exit / Sortie.", "Caution: wet floor.", "Lorem ipsum dolor sit amet.",
    "Bearer authentication header missing.", "Format string vulnerability detected.",
    "A bowl of fruit: mango, papaya, banana.", "Open the door and let the dog out.",
    "Meet Łukasz at noon.", "Thanks, Zoë!", "Call Søren tomorrow.", "Björk is singing.",
    "naïve résumé", "Go to Kraków", "Visit Zürich", "Nguyễn called.",
]  # fmt: skip

OTHER: dict[str, list[str]] = {
    "es": [
        "Abre la puerta.", "¿Dónde está la estación de tren?",
        "Gracias por tu ayuda, nos vemos mañana.",
        "El rápido zorro marrón salta sobre el perro perezoso mientras se pone el sol.",
        "Hay un perro sentado en el sofá junto a una lámpara.", "Buenos días, ¿cómo estás?",
        "Necesito ayuda con la contraseña de mi cuenta.",
        "Dos personas caminan por la playa al atardecer.",
        "Hola, me llamo Carlos y vivo en Madrid desde hace diez años.",
        "La reunión empieza a las diez en la sala grande.",
    ],
    "fr": [
        "Ouvre la porte.", "Où est la gare, s'il vous plaît ?", "Merci pour votre aide, à demain.",
        "Il y a un chien assis sur le canapé à côté d'une lampe.", "Bonjour, comment allez-vous ?",
        "J'ai besoin d'aide avec le mot de passe de mon compte.",
        "Deux personnes marchent sur la plage au coucher du soleil.",
        "Le chat dort sur le canapé depuis ce matin.",
        "La réunion commence à dix heures dans la grande salle.",
    ],
    "de": [
        "Mach die Tür auf.", "Wo ist der Bahnhof, bitte?", "Danke für deine Hilfe, bis morgen.",
        "Ein Hund sitzt auf dem Sofa neben einer Lampe.", "Guten Morgen, wie geht es dir?",
        "Ich brauche Hilfe mit dem Passwort meines Kontos.",
        "Zwei Menschen gehen bei Sonnenuntergang am Strand spazieren.",
        "Die Katze schläft seit heute Morgen auf dem Sofa.",
        "Das Treffen beginnt um zehn Uhr im großen Saal.",
    ],
    "it": [
        "Apri la porta.", "Dov'è la stazione dei treni?", "Grazie per il tuo aiuto, a domani.",
        "C'è un cane seduto sul divano accanto a una lampada.", "Buongiorno, come stai?",
        "Ho bisogno di aiuto con la password del mio account.",
        "Due persone camminano sulla spiaggia al tramonto.",
        "Il gatto dorme sul divano da stamattina.",
        "La riunione inizia alle dieci nella sala grande.",
    ],
    "pt": [
        "Abra a porta.", "Onde fica a estação de trem?", "Obrigado pela ajuda, até amanhã.",
        "Há um cão sentado no sofá ao lado de um candeeiro.", "Bom dia, como você está?",
        "Preciso de ajuda com a senha da minha conta.",
        "Duas pessoas caminham pela praia ao pôr do sol.",
        "O gato está dormindo no sofá desde hoje de manhã.",
        "A reunião começa às dez horas na sala grande.",
    ],
    "nl": [
        "Doe de deur open.", "Waar is het station?", "Bedankt voor je hulp, tot morgen.",
        "Er zit een hond op de bank naast een lamp.", "Goedemorgen, hoe gaat het met je?",
        "Ik heb hulp nodig met het wachtwoord van mijn account.",
        "De kat slaapt sinds vanochtend op de bank.",
        "De vergadering begint om tien uur in de grote zaal.",
    ],
    "ro": [
        "Deschide ușa.", "Unde este gara, vă rog?", "Mulțumesc pentru ajutor, ne vedem mâine.",
        "Un câine stă pe canapea lângă o lampă.", "Am nevoie de ajutor cu parola contului meu.",
        "Pisica doarme pe canapea de azi dimineață.", "Ședința începe la ora zece în sala mare.",
    ],
    "pl": [
        "Otwórz drzwi.", "Gdzie jest dworzec kolejowy?", "Dziękuję za pomoc, do zobaczenia jutro.",
        "Pies siedzi na kanapie obok lampy.", "Potrzebuję pomocy z hasłem do mojego konta.",
    ],
    "sv": [
        "Öppna dörren.", "Var ligger tågstationen?", "Tack för hjälpen, vi ses i morgon.",
        "En hund sitter i soffan bredvid en lampa.", "Katten har sovit i soffan sedan i morse.",
        "Mötet börjar klockan tio i den stora salen.",
    ],
    "da": [
        "Katten har sovet på sofaen siden i morges.", "Mødet begynder klokken ti i den store sal.",
        "Tak for hjælpen, vi ses i morgen.",
    ],
    "fi": [
        "Kissa on nukkunut sohvalla aamusta asti.", "Kokous alkaa kello kymmenen isossa salissa.",
    ],
    "hu": [
        "A macska reggel óta a kanapén alszik.", "A megbeszélés tízkor kezdődik a nagyteremben.",
    ],
    "cs": ["Kočka spí na gauči od rána.", "Schůzka začíná v deset hodin ve velkém sále."],
    "ca": ["El gat dorm al sofà des d'aquest matí.", "La reunió comença a les deu a la sala gran."],
    "tr": [
        "Kapıyı aç.", "Tren istasyonu nerede?", "Yardımın için teşekkürler, yarın görüşürüz.",
    ],
    "id": [
        "Buka pintunya.", "Di mana stasiun kereta api?",
        "Terima kasih atas bantuanmu, sampai jumpa besok.",
    ],
    "vi": ["Mở cửa ra.", "Ga xe lửa ở đâu?", "Cảm ơn bạn đã giúp đỡ, hẹn gặp lại ngày mai."],
    "ja": [
        "こんにちは", "ドアを開けて", "駅はどこですか？",
        "今日はとても良い天気なので、公園を散歩しながら写真を撮りました。",
    ],
    "zh": ["你好", "开门", "火车站在哪里？", "一只狗坐在沙发上，旁边有一盏灯。"],
    "ru": [
        "Привет", "Открой дверь.", "Где находится вокзал?",
        "Собака сидит на диване рядом с лампой.",
    ],
    "uk": ["Відчиніть двері.", "Де знаходиться вокзал?", "Собака сидить на дивані біля лампи."],
    "el": ["Άνοιξε την πόρτα.", "Πού είναι ο σιδηροδρομικός σταθμός;"],
    "ko": ["문을 열어", "기차역이 어디에 있어요?"],
    "he": ["שלום", "איפה תחנת הרכבת?"],
}  # fmt: skip


def main() -> None:
    detector = languages.text_detector()
    scored = []  # (true language, best, confidence, margin, letters, text)
    for lang, texts in [("en", EN), *OTHER.items()]:
        for text in texts:
            ranked = detector.confidences(text)
            best, conf = ranked[0]
            margin = conf - (ranked[1][1] if len(ranked) > 1 else 0.0)
            letters = sum(ch.isalpha() for ch in text)
            scored.append((lang, languages.primary(best), conf, margin, letters, text))
    long_other = [s for s in scored if s[0] != "en" and s[4] >= languages.MIN_LETTERS]
    print(f"{len(scored)} texts; {len(long_other)} non-English with >= 20 letters\n")
    print(f"{'confidence':>10} {'margin':>6}  {'wrong':>5}  {'recognised':>10}  wrong texts")
    for min_conf in (0.4, 0.5, 0.6, 0.7, 0.8):
        for min_margin in (0.2, 0.3, 0.4):
            accepted = [
                s
                for s in scored
                if s[2] >= languages.SCRIPT_CERTAIN
                or (s[4] >= languages.MIN_LETTERS and s[2] >= min_conf and s[3] >= min_margin)
            ]
            wrong = [s for s in accepted if s[0] != s[1]]
            hits = sum(1 for s in long_other if s in accepted and s[0] == s[1])
            chosen = (min_conf, min_margin) == (languages.MIN_CONFIDENCE, languages.MIN_MARGIN)
            print(
                f"{min_conf:>10.1f} {min_margin:>6.1f}{'*' if chosen else ' '} {len(wrong):>5}  "
                f"{hits:>4}/{len(long_other):<5}  {'; '.join(s[5] for s in wrong)[:70]}"
            )
    found = [(s, languages.detect_confident(s[5])) for s in scored]
    chosen_wrong = [s for s, tag in found if tag is not None and languages.primary(tag) != s[0]]
    print(f"\ndetect_confident: {len(chosen_wrong)} wrong; short texts at >= 0.99:")
    for s in scored:
        if s[4] < languages.MIN_LETTERS and s[2] >= languages.SCRIPT_CERTAIN:
            print(f"  {s[0]} {s[2]:.2f} {s[5]}")


if __name__ == "__main__":
    main()
