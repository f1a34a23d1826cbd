# Talkoo: Swedish catalogue. Keys must match fi.ftl exactly.

app-name = Talkoo
app-tagline = Frivilligverksamhet och lågtröskeltjänster nära dig
skip-to-content = Hoppa till innehållet
nav-label = Huvudmeny
nav-catalogue = Sök
nav-organisations = Föreningar
nav-places = Platser
nav-events = Evenemang
nav-hours = Mina timmar
nav-badges = Kompetensmärken
nav-settings = Inställningar

status-online = Ansluten
status-offline = Inget nätverk
status-offline-hint = Appen fungerar utan nätverk. Uppgifterna uppdateras när anslutningen återkommer.

update-available = En ny version finns tillgänglig.
update-reload = Ladda om
update-later = Senare
update-applying = Uppdaterar…
update-state-idle = Uppdateringar har inte kontrollerats ännu.
update-state-checking = Söker efter uppdateringar…
update-state-up-to-date = Du använder den senaste versionen.
update-state-failed = Det gick inte att söka efter uppdateringar. Kontrollera nätverksanslutningen.
update-state-available = En ny version har laddats ner och väntar på att tas i bruk.
update-checked-minutes-ago = Kontrollerat för { $minutes } { $minutes ->
    [one] minut
   *[other] minuter
} sedan

catalogue-title = Hitta verksamhet nära dig
catalogue-intro = Föreningarnas frivilliguppdrag och lågtröskeltjänster i din region, även utan nätverksanslutning.
organisations-title = Föreningar
organisations-empty = Föreningsregistret visas här när regionens uppgifter har laddats ner.
places-title = Mötesplatser
places-empty = Mötesplatser och gemensamma lokaler visas här när regionens uppgifter har laddats ner.
events-title = Evenemang
events-empty = Kommande evenemang visas här när regionens uppgifter har laddats ner.
hours-title = Mina timmar
hours-empty = Du har inte registrerat några frivilligtimmar ännu.
badges-title = Kompetensmärken
badges-empty = Du har inga kompetensmärken ännu.
not-found-title = Sidan hittades inte
not-found-body = Sidan du söker finns inte. Den kan ha flyttats eller tagits bort.
not-found-home = Till startsidan

settings-title = Inställningar
settings-language-heading = Språk
settings-language-label = Appens språk
settings-language-hint = Valet sparas på den här enheten.
settings-storage-heading = Lagring
settings-storage-persist-label = Beständig lagring
settings-storage-persisted-yes = På: webbläsaren raderar inte uppgifterna när utrymmet tar slut.
settings-storage-persisted-no = Av: webbläsaren kan radera uppgifterna om enheten får ont om utrymme.
settings-storage-persisted-unknown = Webbläsaren uppger inte detta.
settings-storage-usage-label = Använt utrymme
settings-storage-usage = { $used } / { $quota } ({ $percent } %)
settings-storage-usage-unknown = Webbläsaren uppger inte hur mycket utrymme som används.
settings-storage-error = Enhetens lagring kunde inte öppnas: { $reason }
settings-app-heading = Appen
settings-app-version = Version
settings-app-build = Bygge
settings-app-build-unknown = okänt
settings-update-check = Sök efter uppdateringar
settings-update-apply = Ta i bruk den nya versionen

sync-heading = Uppdatering av uppgifterna
sync-never = Regionens uppgifter har inte laddats ner till den här enheten ännu.
sync-age-now = Uppgifterna uppdaterades nyss.
sync-age-minutes = Uppgifterna uppdaterades för { $n } min sedan.
sync-age-hours = Uppgifterna är { $n } { $n ->
    [one] timme
   *[other] timmar
} gamla.
sync-age-days = Uppgifterna är { $n } { $n ->
    [one] dag
   *[other] dagar
} gamla.
sync-progress = Laddar { $done } / { $total } kB
sync-now = Uppdatera nu
sync-running = Uppdaterar…
sync-error-network = Uppdateringen misslyckades eftersom det inte finns någon nätverksanslutning.
sync-error-http = Uppdateringen misslyckades: servern svarade inte korrekt.
sync-error-version = Uppdateringen misslyckades: uppgifterna har ett nyare format. Uppdatera appen.
sync-error-feed = Uppdateringen misslyckades: de nedladdade uppgifterna var skadade och togs inte i bruk.
sync-error-store = Uppdateringen misslyckades: uppgifterna kunde inte sparas på enheten.
sync-error-old-data = De tidigare nedladdade uppgifterna används fortfarande.
demo-notice = Demomaterial: föreningarna, personerna och kontaktuppgifterna är påhittade.

region-picker-title = Välj din region
region-picker-loading = Hämtar regioner…
region-picker-offline = Listan över regioner kräver nätverksanslutning en gång. Anslut till nätet och välj ”Uppdatera nu”.
region-picker-legend = Vilka regioners uppgifter ska sparas på den här enheten?
region-picker-municipality = Hemkommun (frivilligt)
region-picker-save = Spara och ladda ner uppgifterna

search-label = Sök verksamhet
filters-heading = Avgränsa sökningen
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
results-more = Visa fler

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

service-not-found = Kortet hittades inte
service-not-found-body = Den här verksamheten finns inte bland de sparade uppgifterna. Den kan ha tagits bort, eller så är dess region inte vald.
service-organisation = Arrangör
service-municipalities = Kommuner
service-groups = För vem
service-languages = Språk
service-cost = Pris
service-free = Avgiftsfri
service-requirements = Krav
service-schedule = Tidtabell
service-contact = Kontaktuppgifter
service-modified = Uppdaterad
service-places = Platser
open-in-map = Öppna på kartan
schedule-closed = stängt
day-mo = mån
day-tu = tis
day-we = ons
day-th = tor
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
event-capacity = Platser
event-enrolment = Förhandsanmälan.
event-add-to-calendar = Lägg till i kalendern
