# Talkoo: Swedish catalogue. Keys must match fi.ftl exactly.

app-name = Talkoo
skip-to-content = Hoppa till innehållet
nav-label = Huvudmeny
nav-catalogue = Sök
nav-organisations = Föreningar
nav-places = Platser
nav-events = Evenemang
nav-hours = Mina timmar
nav-badges = Kompetensmärken
nav-settings = Inställningar
nav-more = Mer
back-to-catalogue = Tillbaka till sökresultaten
back-to-places = Tillbaka till platserna
back-to-events = Tillbaka till evenemangen

status-online = Uppkopplad
status-offline = Ingen uppkoppling
status-offline-hint = Appen fungerar utan uppkoppling. Uppgifterna uppdateras när du är uppkopplad igen.

update-available = En ny version finns tillgänglig.
update-reload = Ladda om
update-later = Senare
update-applying = Uppdaterar…
storage-given-way = Talkoo uppdaterades i en annan flik eller ett annat fönster. Ladda om den här sidan för att fortsätta.
update-state-idle = Uppdateringar har inte kontrollerats ännu.
update-state-checking = Söker efter uppdateringar…
update-state-up-to-date = Du använder den senaste versionen.
update-state-failed = Det gick inte att söka efter uppdateringar. Kontrollera att enheten är uppkopplad.
update-state-available = En ny version har laddats ner och väntar på att tas i bruk.
update-checked-minutes-ago = Kontrollerat för { $minutes } { $minutes ->
    [one] minut
   *[other] minuter
} sedan

install-title = Installera Talkoo
install-why = Som installerad app öppnas Talkoo från en egen ikon som andra appar och fungerar också utan uppkoppling.
install-button = Installera
install-ios-steps = Tryck på Dela-knappen i Safari (fyrkanten med en pil uppåt) och välj Lägg till på hemskärmen.
install-later = Inte nu

catalogue-title = Hitta verksamhet nära dig
catalogue-intro = Föreningarnas frivilliguppdrag och lågtröskeltjänster i din region, också utan uppkoppling.
catalogue-rebuilding = Förbereder uppgifterna som sparats på enheten…
organisations-title = Föreningar
organisations-empty = Förteckningen över föreningar visas här när regionens uppgifter har laddats ner.
places-title = Mötesplatser
places-empty = Mötesplatser och gemensamma lokaler visas här när regionens uppgifter har laddats ner.
events-title = Evenemang
events-empty = Kommande evenemang visas här när regionens uppgifter har laddats ner.
wallet-loading = Märkena öppnas…
wallet-load-failed = Märkena kunde inte öppnas. De sparas på enheten när appen har varit uppkopplad en gång. Försök igen när du är uppkopplad.
wallet-load-retry = Försök igen
hours-module-loading = Timmarna öppnas…
page-loading = Sidan öppnas…
page-load-failed = Sidan kunde inte öppnas. Den sparas på enheten när appen har varit på nätet en gång. Försök igen när du är på nätet.
hours-load-failed = Timsidan kunde inte öppnas. De loggade timmarna finns kvar på enheten. Sidan sparas på enheten när appen har varit uppkopplad en gång. Försök igen när du är uppkopplad.
not-found-title = Sidan hittades inte
not-found-body = Sidan du söker finns inte. Den kan ha flyttats eller tagits bort.
not-found-home = Till startsidan

settings-title = Inställningar
settings-language-heading = Språk
settings-language-label = Appens språk
settings-language-hint = Valet sparas på den här enheten.
settings-language-failed = Språket { $language } kunde inte hämtas till enheten ännu. Appen fortsätter på nuvarande språk. Försök igen när du är uppkopplad.
settings-storage-heading = Lagring
settings-storage-persist-label = Beständig lagring
settings-storage-persist-explain = Beständig lagring betyder att webbläsaren inte raderar dina timmar, inställningar eller nedladdade uppgifter ens när enheten har ont om utrymme. Utan den kan webbläsaren tömma dem. Gör ändå en säkerhetskopia då och då: beständig lagring hjälper inte om enheten försvinner eller om du själv rensar webbläsarens data.
settings-storage-persisted-yes = På: webbläsaren raderar inte uppgifterna när utrymmet tar slut.
settings-storage-persisted-no = Av: webbläsaren kan radera uppgifterna om enheten får ont om utrymme.
settings-storage-persisted-unknown = Webbläsaren uppger inte detta.
settings-storage-usage-label = Använt utrymme
settings-storage-usage = { $used } / { $quota } ({ $percent } %)
settings-storage-usage-unknown = Webbläsaren uppger inte hur mycket utrymme som används.
settings-storage-error = Enhetens lagring kunde inte öppnas: { $reason }
settings-install-heading = Installera appen
settings-install-installed = Talkoo är installerad på den här enheten.
settings-install-unavailable = Den här webbläsaren erbjuder ingen installation. Du kan använda Talkoo i webbläsaren som nu.
settings-app-heading = Appen
settings-offline-unavailable = Den här webbläsaren tillåter inte användning utan uppkoppling (till exempel i ett privat fönster). Talkoo fungerar när du är uppkopplad, och dina timmar sparas ändå på den här enheten.
settings-app-version = Version
settings-app-build = Byggversion
settings-app-build-unknown = okänt
settings-update-check = Sök efter uppdateringar
settings-update-apply = Ta i bruk den nya versionen

sync-heading = Uppdatering av uppgifterna
sync-never = Regionens uppgifter har inte laddats ner till den här enheten ännu.
sync-indexing = Regionens uppgifter har laddats ned. Sökningen förbereds.
sync-age-now = Uppgifterna uppdaterades nyss.
sync-age-minutes = Uppgifterna uppdaterades för { $n } min sedan.
sync-age-hours = Uppgifterna uppdaterades för { $n } { $n ->
    [one] timme
   *[other] timmar
} sedan.
sync-age-days = Uppgifterna uppdaterades för { $n } { $n ->
    [one] dag
   *[other] dagar
} sedan.
sync-progress = Laddar ner { $done } / { $total } kB
sync-now = Uppdatera nu
sync-now-short = Uppdatera
sync-running = Uppdaterar…
sync-error-network = Uppdateringen misslyckades eftersom enheten inte är uppkopplad.
sync-error-http = Uppdateringen misslyckades: servern svarade inte korrekt.
sync-error-version = Uppdateringen misslyckades: uppgifterna har ett nyare format. Uppdatera appen.
sync-error-feed = Uppdateringen misslyckades: de nedladdade uppgifterna var skadade och togs inte i bruk.
sync-error-store = Uppdateringen misslyckades: uppgifterna kunde inte sparas på enheten.
sync-error-old-data = De tidigare nedladdade uppgifterna används fortfarande.
sync-error-stalled = Uppdateringen avbröts eftersom förbindelsen stannade eller var för långsam. Appen försöker på nytt; du kan också försöka själv när förbindelsen är bättre.
sync-error-signature = Uppdateringen togs inte i bruk eftersom den inte är signerad med utgivarens nyckel.
sync-error-verify = Uppdateringen togs inte i bruk eftersom den här webbläsaren inte kan kontrollera utgivarens signatur. Det kan hjälpa att uppdatera webbläsaren.
sync-error-worker = Uppdateringen kunde inte startas på den här enheten. Det kan hjälpa att ladda om appen.
store-error-read = Uppgifterna som sparats på enheten kunde inte läsas. Det kan hjälpa att starta om appen; ingenting har raderats.
demo-notice = Demomaterial: föreningarna, personerna och kontaktuppgifterna är påhittade.

region-picker-title = Välj din region
region-picker-loading = Hämtar regioner…
region-picker-offline = Listan över regioner måste hämtas en gång via nätet. Koppla upp dig och försök igen.
region-picker-legend = Vilka regioners uppgifter ska sparas på den här enheten?
region-picker-municipality = Hemkommun (valfritt)
region-picker-save = Spara och ladda ner uppgifterna
region-picker-save-why = Välj först minst en region.
region-picker-retry = Försök igen

search-label = Sök verksamhet
filters-heading = Avgränsa sökningen
filters-toggle = { $count ->
    [0] Filtrera
   *[other] Filtrera ({ $count })
}
filter-any = Alla
filter-municipality = Kommun
filter-group = Målgrupp
filter-kind = Varaktighet
filter-role = Typ
filter-language = Språk
filter-organisation = Förening
filters-clear = Töm sökningen och avgränsningarna
results-count = { $count ->
    [0] Inga resultat
    [one] 1 resultat
   *[other] { $count } resultat
}
results-awaiting = Resultaten visas här när regionens uppgifter har laddats ned.
results-indexing = Sökningen förbereds. Kort som matchar visas här om en stund.
results-more = Visa fler ({ $count } kvar)

group-everyone = Alla
group-children_families = Barn och familjer
group-young_people = Unga
group-older_people = Äldre
group-immigrants = Invandrare
group-mental_health = Personer i psykisk rehabilitering
group-carers = Närståendevårdare
group-disabilities = Personer med funktionsnedsättning
kind-ongoing = Fortlöpande
kind-popup = Kortvarig (pop-up)
role-volunteer_task = Frivilliguppdrag
role-service = Tjänst för invånare

language-fi = finska
language-sv = svenska
language-en = engelska
language-se = nordsamiska
language-smn = enaresamiska
language-sms = skoltsamiska
language-fit = meänkieli
language-ru = ryska
language-uk = ukrainska
language-ar = arabiska
language-so = somaliska
language-et = estniska
language-fa = persiska
shown-in-language = { $lang ->
    [fi] på finska
    [sv] på svenska
    [en] på engelska
    [se] på nordsamiska
   *[other] på ett annat språk
}

service-not-found = Verksamheten hittades inte
service-not-found-body = Den här verksamheten finns inte bland de sparade uppgifterna. Den kan ha tagits bort, eller så är dess region inte vald.
service-organisation = Arrangör
service-municipalities = Kommuner
service-groups = För vem
service-languages = Språk
service-cost = Pris
service-free = Avgiftsfri
service-requirements = Förutsättningar
service-schedule = Tider
service-contact = Kontaktuppgifter
service-modified = Uppdaterad
service-places = Platser
service-badges = Det här uppdraget kan ge ett kompetensmärke
service-badge-hours = kräver { $hours } { $hours ->
    [one] timme
   *[other] timmar
}
open-in-map = Öppna på kartan
schedule-closed = stängt
day-mo = mån
day-tu = tis
day-we = ons
day-th = tors
day-fr = fre
day-sa = lör
day-su = sön
settings-regions-heading = Regioner
settings-regions-save = Spara regionerna
place-not-found = Platsen hittades inte
place-address = Adress
place-map = Karta
place-hours = Öppettider
place-accessibility = Tillgänglighet
place-booking = Bokning
place-activities = Verksamhet på platsen
event-capacity = Högst { $n } deltagare
event-enrolment = Förhandsanmälan krävs.
event-enrolment-none = Ingen förhandsanmälan behövs.
event-enrolment-heading = Anmälan
event-enrolment-opens = Anmälan öppnar { $when }.
event-enrolment-closes = Anmäl dig senast { $when }.
event-enrolment-closed = Anmälningstiden har gått ut.
event-enrol-web = Anmäl dig på webben
event-enrol-email = Anmäl dig per e-post:
event-enrol-phone = Anmäl dig per telefon:
event-more-info = Mer information
event-more-info-email = Mer information per e-post:
event-more-info-phone = Mer information per telefon:
event-add-to-calendar = Lägg till i kalendern
event-when = Tid
event-place = Plats
event-organiser = Arrangör
event-languages = Språk
event-audience = För vem
event-price = Pris
event-free = Avgiftsfritt
event-past = Evenemanget är redan över.
event-all = Alla evenemang
event-loading = Läser de sparade uppgifterna…
event-not-found = Evenemanget hittades inte
event-not-found-body = Det här evenemanget finns inte bland de sparade uppgifterna. Det kan ha tagits bort, eller så är dess region inte vald.
record-choose-region-title = Öppna sidan på den här telefonen
record-choose-region = Den här sidan hör till informationen för en region. Välj de regioner som ska sparas på den här telefonen. Sidan öppnas när deras information har hämtats och fungerar sedan utan nät.

# Säkerhetskopia
backup-heading = Säkerhetskopia och byte av enhet
backup-intro = Spara alla dina egna uppgifter (timmar, inställningar, föreningarnas koder och kompetensmärken) i en fil. Återställ den här på en ny enhet: registreringar och märken som redan finns på enheten dubbleras inte.
backup-download = Spara säkerhetskopian som fil
backup-share = Dela säkerhetskopia
backup-restore-label = Återställ från en säkerhetskopia
backup-restore-hint = Välj en fil med ett namn som talkoo-backup-2026-11-20.json.
file-choose = Välj fil
file-none-chosen = Ingen fil vald
backup-load-failed = Säkerhetskopieringen kunde inte startas. Appen sparar det som behövs på enheten när den har varit uppkopplad en gång. Försök igen när du är uppkopplad.

# Kioskläge
kiosk-refused-title = Inte tillgängligt på en gemensam skärm
kiosk-refused-body = Den här skärmen används av många, så personliga sidor som Mina timmar, kompetensmärken och inställningar finns inte här. Använd dem i Talkoo på din egen telefon.
kiosk-settings-open = Gör den här enheten till en kiosk
kiosk-load-failed = Kioskläget kunde inte startas. Dess filer sparas på den här enheten när appen har varit online. Försök igen när du är online.
kiosk-settings-heading = Använd enheten som kiosk
kiosk-settings-intro = En kiosk är en gemensam skärm på en mötesplats. Den visar verksamhet, evenemang, platser och föreningar och rensar allt en besökare gjort när ingen har rört den på en stund.

## Settings: information from a file (.talkoo bundle)
settings-bundle-heading = Uppgifter från en fil
settings-bundle-intro = När det inte finns något nät kan katalogens uppgifter komma från en fil (.talkoo) från en koordinator eller en annan telefon. Filen kontrolleras mot utgivarens nyckel innan den används.
settings-bundle-label = Hämta uppgifter från en fil
settings-bundle-drop = Du kan också släppa filen här.
settings-bundle-importing = Filen kontrolleras…
settings-bundle-load-failed = Filen kunde inte läsas eftersom appen ännu inte har sparat det som behövs för det på enheten. Det sparas när appen har varit uppkopplad. Försök igen när du är uppkopplad.
settings-pass-on-heading = Ge informationen vidare
settings-pass-on-intro = Gör en fil av informationen på den här telefonen och ge den till en annan telefon, till exempel där det inte finns något nät. Den andra telefonen importerar den här, under ”Information från en fil”.
settings-pass-on-share = Dela informationen som en fil
settings-pass-on-download = Spara informationen som en fil
settings-pass-on-writing = Filen görs…
settings-keep-whole = Behåll hela filer så att den här telefonen alltid kan ge informationen vidare
settings-keep-whole-hint = Uppdateringar hämtar då hela ändrade filer i stället för listor över ändringar, vilket kräver mer data.
settings-keep-whole-failed = Inställningen kunde inte sparas på den här enheten. Försök igen.
