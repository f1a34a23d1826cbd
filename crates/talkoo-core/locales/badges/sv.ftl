## The messages of the pages the badges module draws (badges, My hours, kiosk mode),
## built into the badges module only (talkoo-core feature badge-messages),
## so that the first-load shell does not carry them.

badges-title = Kompetensmärken
badges-empty = Du har inga kompetensmärken ännu.
badge-check-link = Kontrollera någon annans kompetensmärke
badge-check-title = Kontrollera ett kompetensmärke
badge-check-intro = Kontrollera att ett kompetensmärke som någon visar dig är äkta och giltigt. Kontrollen fungerar också utan uppkoppling.
badge-check-not-stored = Märket sparas inte på den här enheten.
badge-check-drop = Dra märkets fil hit eller välj den
badge-check-file-hint = En bild (PNG eller SVG) eller en JSON- eller JWT-fil.
badge-check-paste = Eller klistra in märkets text (JSON eller JWT)
badge-check-submit = Kontrollera
badge-check-checking = Kontrollerar…
badge-check-nothing = Välj först en fil eller klistra in märkets text.
badge-check-not-checked = Märket kunde inte kontrolleras
badge-level-valid = Giltigt
badge-level-warning = Giltigt, med anmärkningar
badge-level-invalid = Inte giltigt
badge-check-level-valid = Godkänd
badge-check-level-warning = Obs
badge-check-level-invalid = Underkänd
badge-checks-heading = Kontroller
badge-check-not-a-badge = Det här är inte ett kompetensmärke, eller så går det inte att läsa. Kontrollera att du valde rätt fil.
badge-check-png-damaged = Bildfilen är skadad, så märket kan inte läsas.
badge-check-svg-malformed = SVG-bilden är felaktig, så märket kan inte läsas.
badge-check-not-baked = Bilden innehåller inga märkesuppgifter. Be utfärdaren om ett märke med uppgifterna inuti.
badge-check-jwt-malformed = Märkets text är skadad och kan inte läsas.
badge-check-not-a-credential = Filen är i JSON-format men är inte ett kompetensmärke.
badge-check-hosted-only = Bilden innehåller bara märkets adress. Märket kan läsas bara med nätförbindelse.
badge-check-no-proof = Märket har ingen signatur, så det går inte att kontrollera att det är äkta.
badge-check-unreadable-file = Filen kunde inte läsas. Försök igen eller välj en annan fil.
badge-check-unknown = Den här versionen av Talkoo har ännu ingen förklaring till resultatet. Kod: { $code }
verifier-error-start = Märkeskontrollen kunde inte startas. Uppdatera sidan när du är uppkopplad och försök igen.
verifier-error-failed = Kontrollen avbröts av ett fel. Försök igen. Om felet upprepas går märket inte att kontrollera med Talkoo.
badges-intro = Kompetensmärken visar vad du har lärt dig som frivillig. De sparas i den här enheten och kontrolleras också utan nätförbindelse.
badges-list-label = Dina märken
badges-error-storage = Märkena kunde inte läsas eller sparas i den här enheten.
badges-error-fetch = Märket kunde inte hämtas från adressen. Kontrollera adressen eller spara märket som en fil.
badges-check-link = Kontrollera någon annans märke
badges-issued-by = Utfärdat av { $issuer }
badges-issued-by-unknown = Utfärdat av { $issuer } (inte känd i dina regioner)
badges-checked-on = kontrollerat { $date }
badge-check-structure-valid = Märket har alla uppgifter som krävs.
badge-check-structure-missing-context = Märkets struktur är felaktig: definitionen { $context } saknas.
badge-check-structure-missing-type = Märkets struktur är felaktig: typen { $type } saknas.
badge-check-structure-missing-issuer = Märket saknar utfärdare.
badge-check-structure-missing-subject = Märket saknar mottagare.
badge-check-structure-missing-achievement = Märket säger inte vad det har utfärdats för.
badge-check-structure-missing-valid-from = Märket saknar utfärdandedatum.
badge-check-proof-valid = Signaturen stämmer: märket har inte ändrats sedan det utfärdades.
badge-check-proof-signature-mismatch = Signaturen stämmer inte: märket har ändrats efter att det utfärdades eller är förfalskat.
badge-check-proof-algorithm-refused = Märkets signaturmetod ({ $alg }) godkänns inte, eftersom den inte visar vem som utfärdade märket.
badge-check-proof-key-unusable = Signaturens nyckel kan inte användas: { $key }
badge-check-proof-key-not-found = Signaturens nyckel finns bara på nätet, så signaturen kontrolleras när det finns nätförbindelse: { $key }
badge-check-proof-claims-mismatch = En signerad uppgift ({ $claim }) stämmer inte med märkets innehåll.
badge-check-proof-unsupported = En signatur av den här typen kan inte kontrolleras: { $detail }
badge-check-proof-invalid = Signaturen är inte giltig: { $detail }
badge-check-proof-hosted = Märket kontrolleras från utfärdarens server när det finns nätförbindelse: { $url }
badge-check-issuer-known = Utfärdaren { $name } är känd i dina regioner.
badge-check-issuer-unknown = Signaturen stämmer, men utfärdaren { $name } är inte känd i dina regioner.
badge-check-issuer-key-mismatch = Märket är signerat med en nyckel som inte hör till utfärdaren.
badge-check-issuer-not-checked = Utfärdaren kunde inte fastställas, eftersom signaturen inte kunde kontrolleras.
badge-check-validity-valid = Märket är giltigt.
badge-check-validity-not-yet-valid = Märket är giltigt först från { $date }.
badge-check-validity-expired = Märket slutade gälla { $date }.
badge-check-validity-bad-date = Märkets datum ({ $field }) är felaktigt.
badge-check-status-none = Märket har ingen återkallelselista, så utfärdaren kan inte återkalla det.
badge-check-status-valid = Märket har inte återkallats (listan hämtad { $fetched }).
badge-check-status-revoked = Utfärdaren har återkallat märket (listan hämtad { $fetched }).
badge-check-status-suspended = Märket är tillfälligt ogiltigt (listan hämtad { $fetched }).
badge-check-status-not-checked = Återkallelselistan har inte hämtats ännu. Den hämtas när det finns nätförbindelse.
badge-check-status-unsupported = Märkets status kan inte kontrolleras: { $detail }
badge-check-status-list-malformed = Återkallelselistan kunde inte läsas.
badge-check-status-list-issuer-mismatch = Återkallelselistan har publicerats av någon annan än märkets utfärdare.
badge-check-status-list-unsigned = Återkallelselistan är inte signerad, så det gick inte att avgöra om märket har återkallats.
badge-check-status-list-unverified = Återkallelselistans signatur stämmer inte eller kan inte kontrolleras, så det gick inte att avgöra om märket har återkallats.
badge-check-status-list-key-not-found = Återkallelselistans signeringsnyckel finns inte på den här enheten, så det gick inte att avgöra om märket har återkallats.
badge-check-status-list-key-mismatch = Återkallelselistan är signerad av någon annan än märkets utfärdare, så det gick inte att avgöra om märket har återkallats.
badge-check-status-list-expired = Återkallelselistan slutade gälla { $date }, så det gick inte att avgöra om märket har återkallats.
badge-check-status-list-not-yet-valid = Återkallelselistan gäller först från { $date }, så det gick inte att avgöra om märket har återkallats.
badge-check-recipient-id = Mottagaren anges i märket med en identifierare.
badge-check-recipient-identity = Mottagaren anges i märket.
badge-check-recipient-hashed = Mottagarens identitet är skyddad i märket och visas inte.
badge-check-recipient-none = Märket säger inte vem det har utfärdats till.
badge-check-qr-damaged = Märket i QR-koden är skadat och kan inte läsas. Be att få se koden igen.
badge-check-qr-oversized = QR-koden innehåller mer data än något märke, så den läses inte.
badges-issuer = Utfärdare
badges-recipient = Mottagare
badges-description = Beskrivning
badges-criteria = Villkor för märket
badges-skills = Färdigheter
badges-evidence = Belägg
badges-valid-from = Utfärdat
badges-valid-until = Giltigt till
badges-add-heading = Lägg till ett märke
badges-add-hint = Ett märke kan vara en bild (PNG eller SVG) med märkets uppgifter inuti, eller en JSON- eller JWT-fil.
badges-add-file = Välj en fil
badges-add-paste = Eller klistra in märkets text
badges-add-paste-button = Lägg till det inklistrade märket
badges-add-url = Eller ange märkets adress
badges-add-url-hint = För att hämta ett märke från en adress behövs nätförbindelse.
badges-add-url-offline = Ingen nätförbindelse. Lägg till märket som en fil eller klistra in dess text.
badges-add-url-button = Hämta märket
badges-checking = Märket kontrolleras…
badges-not-found = Märket finns inte i den här enheten
badges-back = Alla märken
badges-recheck = Kontrollera på nytt
badges-share = Dela originalfilen
badges-download = Ladda ner originalfilen
badges-share-image = Dela som bild
badges-download-image = Ladda ner som bild
badges-share-image-failed = Bilden kunde inte skapas. Dela originalfilen.
badges-qr-show = Visa som QR-kod
badges-qr-hide = Dölj QR-koden
badges-qr-making = QR-koden skapas…
badges-qr-alt = QR-kod med kompetensmärket { $name }. En annan telefon kan läsa den i Talkoo under Kontrollera ett märke eller Lägg till ett märke.
badges-qr-hint = Visa koden för en annan telefon. Håll skärmen ljus och telefonen stilla.
badges-qr-too-large = Märket är för stort för en QR-kod. Dela märket som en fil eller en bild.
scan-start = Läs en QR-kod med kameran
scan-cancel = Sluta läsa
scan-video = Kamerabild. Rikta kameran mot QR-koden.
scan-looking = Letar efter en QR-kod…
scan-no-camera = Enheten har ingen kamera som Talkoo kan använda. Välj märkets fil eller klistra in dess text.
scan-denied = Kameran är blockerad. Tillåt kameran i webbläsarens inställningar eller välj märkets fil.
scan-failed = Kameran kunde inte startas. Försök igen eller välj märkets fil.
badges-remove = Ta bort från den här enheten
badges-remove-confirm = Bekräfta borttagningen

## Backups, which the module writes and restores (src/badges/backup.rs).

backup-done = Säkerhetskopian har { $count } { $count ->
    [one] registrering
   *[other] registreringar
}. Förvara filen väl: den innehåller dina föreningskoder.
backup-restored = Återställt: { $added } tillagda, { $updated } uppdaterade, { $same } fanns redan på enheten.
backup-restored-badges = Kompetensmärken: { $added } tillagda, { $updated } uppdaterade, { $same } fanns redan på enheten.
backup-error = Säkerhetskopian kunde inte återställas: { $reason }

## Kiosk mode's screens (src/kiosk/): the attract screen, the bar, the idle
## warning and PIN dialog, the set-up page and Settings' set-up form, which
## the same module draws.

kiosk-problem-nothing-shown = Välj en mötesplats eller minst en kommun.
kiosk-problem-bad-place = Mötesplatsen känns inte igen. Välj en plats i listan.
kiosk-problem-bad-municipality = En kommun känns inte igen. Välj kommunerna i listan.
kiosk-problem-no-language = Välj minst ett språk.
kiosk-problem-unknown-language = Länken har ett språk som inte finns i Talkoo. Språken är finska, svenska och engelska.
kiosk-problem-idle-out-of-range = Väntetiden före varningen ska vara 30–900 sekunder.
kiosk-problem-warning-out-of-range = Varningen ska visas i 20–120 sekunder.
kiosk-problem-bad-pin = PIN-koden ska ha 4–8 siffror.
kiosk-problem-no-pin = Länken saknar PIN-kod. Be koordinatorn om en ny länk.
kiosk-problem-bad-pin-hash = PIN-koden i länken är skadad. Be koordinatorn om en ny länk.
kiosk-problem-not-setup-link = Det här är inte en länk för att ställa in kioskläge.
kiosk-problem-repeated-parameter = Länken har samma inställning två gånger. Be koordinatorn om en ny länk.
kiosk-problem-bad-public = Adressen för besökarnas mobiler måste vara en hel https://-adress, till exempel https://example.org/talkoo/.
kiosk-touch-to-start = Tryck för att börja
kiosk-attract-upcoming = På gång här
kiosk-attract-ongoing = Bli frivillig hos oss
kiosk-attract-nothing = Här är inget på gång just nu. Tryck på skärmen och sök verksamhet.
kiosk-choices-label = Språk och visning
kiosk-larger-text = Större text
kiosk-high-contrast = Hög kontrast
kiosk-idle-title = Är du kvar?
kiosk-idle-countdown = { $seconds ->
    [one] Skärmen börjar om om { $seconds } sekund.
   *[other] Skärmen börjar om om { $seconds } sekunder.
}
kiosk-idle-continue = Fortsätt
kiosk-pin-title = Lämna kioskläget
kiosk-pin-label = PIN-kod
kiosk-pin-submit = Lämna kioskläget
kiosk-pin-cancel = Avbryt
kiosk-pin-wrong = { $tries ->
    [one] Fel PIN-kod. Ett försök kvar.
   *[other] Fel PIN-kod. { $tries } försök kvar.
}
kiosk-pin-locked = { $seconds ->
    [one] För många felaktiga PIN-koder. Försök igen om { $seconds } sekund.
   *[other] För många felaktiga PIN-koder. Försök igen om { $seconds } sekunder.
}
kiosk-exit-failed = Kioskläget kunde inte stängas av: { $reason }
kiosk-setup-title = Kioskläge
kiosk-setup-intro = Med den här länken blir enheten en kiosk: en gemensam skärm där vem som helst kan bläddra bland verksamhet, evenemang, platser och föreningar. Inget som skrivs på den sparas.
kiosk-setup-problems = Den här länken för att ställa in kioskläge kan inte användas:
kiosk-setup-exit-hint = När du senare vill lämna kioskläget trycker du på skärmens övre högra hörn i två sekunder och anger PIN-koden.
kiosk-enter = Använd enheten som kiosk
kiosk-save-failed = Kioskläget kunde inte sparas: { $reason }
kiosk-place = Mötesplats
kiosk-place-none = Ingen plats, bara kommuner
kiosk-place-unknown = { $id } (inte i de regioner som laddats ner till enheten)
kiosk-municipalities = Kommuner som visas
kiosk-languages = Språk som erbjuds
kiosk-languages-hint = Skärmen går tillbaka till det första valda språket för varje ny besökare.
kiosk-idle = Väntetid före varningen (sekunder)
kiosk-idle-hint = 30–900 sekunder. Sedan räknar varningen ner 20 sekunder innan skärmen börjar om.
kiosk-warning = Varningen visas i
kiosk-seconds = { $seconds } s
kiosk-pin-new = PIN-kod för att lämna kioskläget (4–8 siffror)
kiosk-pin-again = Samma PIN-kod igen
kiosk-pins-differ = PIN-koderna är inte likadana. Skriv samma PIN-kod i båda fälten.
kiosk-make-link = Skapa länken för att ställa in kioskläge
kiosk-link = Länk för att ställa in kioskläge
kiosk-link-hint = Kopiera eller skriv ut länken, så kan du ställa in andra skärmar i ett steg. Den innehåller inte själva PIN-koden, men förvara den som en nyckel.
kiosk-public = Adress för besökarnas mobiler (valfritt)
kiosk-public-shown = Adress för besökarnas mobiler
kiosk-public-hint = Behövs bara om den här skärmen öppnar Talkoo på en adress som mobiler inte når, till exempel en server i mötesplatsens eget nätverk. Då ger ”Ta med dig den här sidan” mobilerna den här adressen, till exempel https://example.org/talkoo/.
kiosk-take-open = Ta med dig den här sidan
kiosk-take-intro = Rikta mobilens kamera mot en kod och öppna länken som visas. Ingenting sparas på den här skärmen.
kiosk-take-page = Den här sidan
kiosk-take-page-qr = QR-kod till den här sidans adress
kiosk-take-phone = Telefonnummer
kiosk-take-phone-qr = QR-kod för att ringa { $number }
kiosk-take-email = E-postadress
kiosk-take-email-qr = QR-kod för att skriva till { $address }
kiosk-take-too-long = Adressen är för lång för en QR-kod.
kiosk-take-close = Stäng
kiosk-updated = Uppgifterna uppdaterades { $when }

## Importing a .talkoo bundle (src/import.rs)
bundle-error-not-pinned = Filen kan inte kontrolleras ännu, så den togs inte i bruk. Uppdatera uppgifterna en gång när du är uppkopplad och försök sedan igen.
bundle-error-signature = Filen togs inte i bruk eftersom den inte är signerad med utgivarens nyckel. Uppgifterna på enheten är oförändrade.
bundle-error-older = Filen togs inte i bruk eftersom dess uppgifter är äldre än de som redan finns på enheten. Uppgifterna på enheten är oförändrade.
bundle-error-incomplete = Filen togs inte i bruk eftersom den inte innehåller alla uppgifter för någon region.
bundle-error-version = Filen togs inte i bruk: uppgifterna har ett nyare format. Uppdatera appen.
bundle-error-damaged = Filen togs inte i bruk eftersom den är skadad.
bundle-error-store = Uppgifterna i filen kunde inte sparas på enheten.
bundle-error-verify = Filen togs inte i bruk eftersom den här webbläsaren inte kan kontrollera utgivarens signatur. Det kan hjälpa att uppdatera webbläsaren.
bundle-note-older = En del regioner i filen är äldre än uppgifterna på enheten och lämnades som de var.
bundle-done = Uppgifterna i filen används nu: { $regions }.
bundle-error-not-bundle = Filen togs inte i bruk eftersom den inte är en datafil från Talkoo eller är skadad.
bundle-error-too-large = Filen togs inte i bruk eftersom den är för stor för den här enheten.
export-done = Filen innehåller informationen för { $regions }. Den andra telefonen importerar den i inställningarna, under ”Information från en fil”.
export-not-ready-behind = { $region } finns inte i filen eftersom dess information håller på att uppdateras. Uppdatera informationen när du är online och försök igen.
export-not-ready-not-whole = { $region } finns inte i filen eftersom den här telefonen inte har alla dess filer. Välj ”Behåll hela filer” nedan och uppdatera informationen när du är online.
export-error-nothing-ready = Ingen information kunde läggas i filen.
export-error-no-catalogue = Det finns ännu ingen information på den här telefonen att ge vidare.
export-error-unsigned = Den här informationen kan inte ges vidare eftersom utgivaren inte har signerat den.
export-error-store = Filen kunde inte göras av informationen på den här telefonen.

# Frivilligtimmar
hours-title = Mina timmar
hours-empty = Du har inte registrerat några frivilligtimmar ännu.
hours-intro = Registrera dina frivilligtimmar här, också utan uppkoppling. De sparas genast på den här enheten. Till föreningen skickas de bara om den tar emot timmar via Talkoo och du har anslutit dig med koden från din koordinator. Vid varje registrering står det om den skickas.
hours-loading = Läser dina timmar…
hours-add = Registrera timmar
hours-saved = Sparat på den här enheten.
hours-new-title = Registrera timmar
hours-edit-title = Redigera registrering
hours-back = Tillbaka till mina timmar
hours-read-only = Registreringen har skickats till föreningen och kan inte längre ändras.
hours-form-has-problems = Kontrollera fälten som markerats nedan.
hours-field-date = Datum
hours-field-date-hint = T.ex. 2.12.2026
hours-date-today = I dag
hours-date-yesterday = I går
hours-field-time-legend = Tid
hours-field-time-hint = Ange start- och sluttid (t.ex. 9.00 och 12.30), eller bara längden i timmar (t.ex. 1,5 eller 1:30).
hours-field-start = Starttid
hours-field-end = Sluttid
hours-field-duration = Längd (timmar)
hours-duration-is = Längd: { $hours } h
hours-field-organisation = Förening
hours-field-organisation-hint = Välj i listan eller skriv namnet om föreningen inte finns i listan.
hours-org-show-list = Visa föreningarna
hours-org-list = Föreningar
hours-org-more = { $more } till – skriv mer av namnet.
hours-dest-inbox = Skickas via Talkoo till föreningen { $name } när enheten är uppkopplad.
hours-dest-joinable = Sparas bara på den här enheten. Föreningen { $name } tar emot timmar via Talkoo när du har anslutit dig med koden från din koordinator.
hours-dest-device-only = Sparas bara på den här enheten. Föreningen { $name } tar inte emot timmar via Talkoo.
hours-dest-code-refused = Sparas bara på den här enheten. Din anslutningskod till föreningen { $name } gäller inte längre; anslut dig med en ny kod.
hours-dest-join = Anslut dig med kod
hours-dest-join-later = Du kan ansluta dig när du har sparat, på sidan Mina timmar; då skickas också den här registreringen.
hours-field-activity = Verksamhet (valfritt)
hours-field-activity-none = Ingen särskild verksamhet
hours-field-category = Typ av arbete
hours-field-note = Anteckning (valfritt)
hours-category-guidance = Vägledning och rådgivning
hours-category-transport = Transport och ledsagning
hours-category-events = Evenemang
hours-category-peer-support = Kamratstöd och vänverksamhet
hours-category-office = Kontorsarbete
hours-category-other = Annat
hours-warning-long-day = Dagen skulle få sammanlagt { $hours } timmar, mer än 16. Kontrollera tiderna; om de stämmer, spara ändå.
hours-save = Spara
hours-save-anyway = Spara ändå
hours-cancel = Avbryt
hours-problem-bad-id = Registreringens identifierare är skadad.
hours-problem-bad-date = Ange datumet som dag.månad.år, till exempel 2.12.2026.
hours-problem-future-date = Datumet kan inte vara i framtiden.
hours-problem-bad-time = Ange tider i timmar och minuter, till exempel 9.30.
hours-problem-half-times = Ange både start- och sluttid, eller ingendera.
hours-problem-end-not-after-start = Sluttiden måste vara efter starttiden.
hours-problem-times-disagree = Längden stämmer inte med start- och sluttiden.
hours-problem-bad-duration = Ange längden i timmar, till exempel 2, 1,5 eller 1:30.
hours-problem-no-duration = Ange start- och sluttid eller längden.
hours-problem-not-positive = Längden måste vara mer än noll.
hours-problem-longer-than-a-day = En registrering kan vara högst 24 timmar.
hours-problem-no-organisation = Välj eller skriv föreningen.
hours-problem-no-category = Välj typ av arbete.
hours-problem-note-too-long = Anteckningen är för lång (högst 2 000 tecken).
hours-error-store = Registreringen kunde inte sparas på enheten. Försök igen.
hours-error-not-editable = Registreringen har redan skickats och kan inte längre ändras.
hours-error-missing = Registreringen finns inte längre på enheten.
hours-error-invalid = Kontrollera formuläret.
hours-error-offline = Du behöver en uppkoppling för att ansluta dig. Försök igen när du är uppkopplad.
hours-error-unknown-code = Föreningen kände inte igen koden. Kontrollera den med din koordinator.
hours-error-wrong-organisation = Koden hör till en annan förening.
hours-error-network = Föreningens tjänst gick inte att nå. Försök igen senare.
hours-error-insecure = Föreningens tjänsteadress är inte skyddad, så din kod skickades inte. Meddela föreningen.
hours-error-read = Dina timmar kunde inte läsas från den här enheten. Ingenting skickades; det kan hjälpa att starta om appen.
inbox-problem-unreachable = { $name }: ingen kontakt. Registreringarna väntar och skickas senare.
inbox-problem-timeout = { $name }: svarade inte i tid. Registreringarna väntar och skickas senare.
inbox-problem-http = { $name }: tjänsten hade ett problem. Registreringarna väntar och skickas senare.
inbox-problem-unauthorized = { $name }: din anslutningskod gäller inte längre. Be koordinatorn om en ny kod och anslut dig igen.
inbox-problem-busy = { $name }: tjänsten bad oss vänta en stund. Registreringarna skickas senare.
inbox-problem-insecure = { $name }: tjänstens adress är inte skyddad, så ingenting skickas dit. Meddela föreningen.
inbox-problem-bad-answer = { $name }: tjänstens svar kunde inte läsas. Appen frågar igen senare.
hours-outbox-heading = Sändning
hours-outbox-summary = Väntar på att skickas: { $waiting }. Skickade: { $sent }. Bara på den här enheten: { $local }.
hours-send-now = Skicka nu
hours-sending = Skickar…
hours-summary-heading = Sammanställning
hours-period-label = Period
hours-period-12m = De senaste 12 månaderna
hours-period-month = Den här månaden
hours-period-year = Det här året
hours-period-all = Allt
hours-total = { $hours } { $n ->
    [one] timme
   *[other] timmar
}, { $count } { $count ->
    [one] registrering
   *[other] registreringar
}
hours-chart-caption = Timmar per månad
hours-chart-summary = Stapeldiagram; skalan går upp till { $top } { $top ->
    [one] timme
   *[other] timmar
}. Samma siffror finns i tabellen nedan.
hours-chart-table = Visa som tabell
hours-col-month = Månad
hours-col-hours = Timmar
hours-col-organisation = Förening
hours-col-category = Typ av arbete
hours-by-organisation = Timmar per förening
hours-by-category = Timmar per typ av arbete
hours-milestones = Milstolpar
hours-milestone-reached = { $hours } { $hours ->
    [one] timme uppnådd
   *[other] timmar uppnådda
}
hours-milestone-progress = { $hours } { $hours ->
    [one] timme
   *[other] timmar
}: { $percent } % klart
hours-entries-heading = Registreringar
hours-show-more = Visa fler ({ $n } kvar)
hours-state-local = Sparad på den här enheten
hours-state-waiting = Väntar på att skickas
hours-state-sent = Skickad
hours-state-accepted = Godkänd av föreningen
hours-state-conflict = Konflikt: föreningen har en annan version
hours-state-rejected = Avvisad
hours-conflict-explain = I föreningens version av registreringen är datumet { $date } och längden { $hours } h. Välj vilken version som ska behållas.
hours-conflict-keep-theirs = Behåll föreningens version
hours-conflict-keep-both = Behåll båda (skicka min som en ny registrering)
hours-edit = Redigera
hours-delete = Radera
hours-delete-confirm = Radera verkligen?
hours-export-heading = Export
hours-export-hint = En CSV-fil öppnas i ett kalkylprogram; JSON är för andra program.
hours-download-csv = Spara som CSV-fil
hours-download-json = Spara som JSON-fil
hours-share-csv = Dela CSV-fil
hours-share-json = Dela JSON-fil
hours-inboxes-heading = Skicka timmar till föreningar
hours-inboxes-intro = En del föreningar tar emot timmar på nätet. Anslut dig med koden du fått av din koordinator; därefter skickas dina timmar till den föreningen automatiskt.
hours-inbox-joined = ansluten
hours-inbox-refused = koden gäller inte längre; be din koordinator om en ny
hours-inbox-leave = Sluta skicka
hours-join-title = Anslut dig till en förenings timregistrering
hours-join-heading = Anslut dig med kod
hours-join-none = Ingen av föreningarna i dina regioner tar ännu emot timmar på nätet. Dina timmar sparas på den här enheten.
hours-join-organisation = Förening
hours-join-choose = Välj förening
hours-join-code = Anslutningskod
hours-join-code-hint = Till exempel K7QM-4XPD-92HT. Fråga din koordinator.
hours-join-submit = Anslut
hours-join-missing-organisation = Välj först föreningen.
hours-join-missing-code = Skriv anslutningskoden du fått av din koordinator.
hours-join-missing-both = Välj föreningen och skriv anslutningskoden du fått av din koordinator.
hours-join-done = Du har anslutit dig till { $name }. Dina timmar dit skickas nu automatiskt.
