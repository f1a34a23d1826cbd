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
catalogue-empty = Regionens uppgifter har inte laddats ner till den här enheten ännu.
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
