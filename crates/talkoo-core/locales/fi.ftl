# Talkoo: Finnish, the default and reference catalogue. Every key here must
# exist in sv.ftl and en.ftl (checked by the core's catalogue test).

app-name = Talkoo
skip-to-content = Siirry sisältöön
nav-label = Päävalikko
nav-catalogue = Haku
nav-organisations = Yhdistykset
nav-places = Paikat
nav-events = Tapahtumat
nav-hours = Omat tunnit
nav-badges = Osaamismerkit
nav-settings = Asetukset
nav-more = Lisää
back-to-catalogue = Takaisin hakutuloksiin
back-to-places = Takaisin paikkoihin
back-to-events = Takaisin tapahtumiin

status-online = Verkossa
status-offline = Ei verkkoa
status-offline-hint = Sovellus toimii ilman verkkoa. Tiedot päivittyvät, kun yhteys palaa.

update-available = Uusi versio on saatavilla.
update-reload = Lataa uudelleen
update-later = Myöhemmin
update-applying = Päivitetään…
storage-given-way = Talkoo päivitettiin toisessa välilehdessä tai ikkunassa. Lataa tämä sivu uudelleen, niin voit jatkaa.
update-state-idle = Päivityksiä ei ole vielä tarkistettu.
update-state-checking = Tarkistetaan päivityksiä…
update-state-up-to-date = Käytössä on uusin versio.
update-state-failed = Päivitystä ei voitu tarkistaa. Tarkista verkkoyhteys.
update-state-available = Uusi versio on ladattu ja odottaa käyttöönottoa.
update-checked-minutes-ago = Tarkistettu { $minutes } { $minutes ->
    [one] minuutti
   *[other] minuuttia
} sitten

install-title = Asenna Talkoo
install-why = Asennettu Talkoo avautuu omasta kuvakkeestaan kuten muutkin sovellukset ja toimii myös ilman verkkoa.
install-button = Asenna
install-ios-steps = Napauta Safarin Jaa-painiketta (neliö, josta nousee nuoli) ja valitse Lisää Koti-valikkoon.
install-later = Ei nyt

catalogue-title = Löydä toimintaa lähelläsi
catalogue-intro = Yhdistysten vapaaehtoistehtävät ja matalan kynnyksen palvelut kotiseudultasi, myös ilman verkkoyhteyttä.
catalogue-rebuilding = Valmistellaan laitteeseen tallennettuja tietoja…
organisations-title = Yhdistykset
organisations-empty = Yhdistyshakemisto näkyy tässä, kun alueen tiedot on ladattu.
places-title = Kokoontumispaikat
places-empty = Kokoontumispaikat ja yhteiset tilat näkyvät tässä, kun alueen tiedot on ladattu.
events-title = Tapahtumat
events-empty = Tulevat tapahtumat näkyvät tässä, kun alueen tiedot on ladattu.
wallet-loading = Avataan merkkejä…
wallet-load-failed = Merkkejä ei voitu avata. Ne tallentuvat laitteeseen, kun sovellus on ollut kerran verkossa. Yritä uudelleen, kun olet verkossa.
wallet-load-retry = Yritä uudelleen
hours-module-loading = Avataan tunteja…
page-loading = Avataan sivua…
page-load-failed = Sivua ei voitu avata. Se tallentuu laitteeseen, kun sovellus on ollut kerran verkossa. Yritä uudelleen, kun olet verkossa.
hours-load-failed = Tuntisivua ei voitu avata. Kirjatut tunnit ovat tallessa laitteessa. Sivu tallentuu laitteeseen, kun sovellus on ollut kerran verkossa. Yritä uudelleen, kun olet verkossa.
not-found-title = Sivua ei löydy
not-found-body = Etsimääsi sivua ei ole. Se on voinut siirtyä tai poistua.
not-found-home = Siirry etusivulle

settings-title = Asetukset
settings-language-heading = Kieli
settings-language-label = Sovelluksen kieli
settings-language-hint = Valinta tallentuu tähän laitteeseen.
settings-language-failed = Kieltä { $language } ei voitu vielä ladata tähän laitteeseen. Sovellus jatkaa nykyisellä kielellä. Yritä uudelleen, kun olet verkossa.
settings-storage-heading = Tallennustila
settings-storage-persist-label = Pysyvä tallennus
settings-storage-persist-explain = Pysyvä tallennus tarkoittaa, että selain ei poista tuntejasi, asetuksiasi eikä ladattuja tietoja silloinkaan, kun laitteen tila on vähissä. Ilman sitä selain voi tyhjentää ne. Tee silti välillä varmuuskopio: pysyvä tallennus ei auta, jos laite katoaa tai tyhjennät selaimen tiedot itse.
settings-storage-persisted-yes = Käytössä: selain ei poista tietoja tilan loppuessa.
settings-storage-persisted-no = Ei käytössä: selain voi poistaa tiedot, jos laitteen tila loppuu.
settings-storage-persisted-unknown = Selain ei kerro tätä.
settings-storage-usage-label = Käytetty tila
settings-storage-usage = { $used } / { $quota } ({ $percent } %)
settings-storage-usage-unknown = Selain ei kerro käytettyä tilaa.
settings-storage-error = Laitteen tallennustilaa ei voitu avata: { $reason }
settings-install-heading = Sovelluksen asentaminen
settings-install-installed = Talkoo on asennettu tähän laitteeseen.
settings-install-unavailable = Tämä selain ei tarjoa asentamista. Voit käyttää Talkoota selaimessa kuten nytkin.
settings-app-heading = Sovellus
settings-offline-unavailable = Tämä selain ei salli käyttöä ilman verkkoa (esimerkiksi yksityisessä ikkunassa). Talkoo toimii, kun olet verkossa, ja tuntisi tallentuvat silti tähän laitteeseen.
settings-app-version = Versio
settings-app-build = Koontiversio
settings-app-build-unknown = tuntematon
settings-update-check = Tarkista päivitykset
settings-update-apply = Ota uusi versio käyttöön

sync-heading = Tietojen päivitys
sync-never = Alueen tietoja ei ole vielä ladattu tähän laitteeseen.
sync-indexing = Alueen tiedot on ladattu. Hakua valmistellaan.
sync-age-now = Tiedot päivitetty juuri äsken.
sync-age-minutes = Tiedot päivitetty { $n } min sitten.
sync-age-hours = Tiedot päivitetty { $n } { $n ->
    [one] tunti
   *[other] tuntia
} sitten.
sync-age-days = Tiedot päivitetty { $n } { $n ->
    [one] päivä
   *[other] päivää
} sitten.
sync-progress = Ladataan { $done } / { $total } kt
sync-now = Päivitä nyt
sync-now-short = Päivitä
sync-running = Päivitetään…
sync-error-network = Päivitys ei onnistunut, koska verkkoyhteyttä ei ole.
sync-error-http = Päivitys ei onnistunut: palvelin ei vastannut oikein.
sync-error-version = Päivitys ei onnistunut: tiedot ovat uudemmassa muodossa. Päivitä sovellus.
sync-error-feed = Päivitys ei onnistunut: ladattu tieto oli vioittunut, eikä sitä otettu käyttöön.
sync-error-store = Päivitys ei onnistunut: tietoja ei voitu tallentaa laitteeseen.
sync-error-old-data = Aiemmin ladatut tiedot ovat edelleen käytössä.
sync-error-stalled = Päivitys keskeytyi, koska yhteys katkeili tai oli liian hidas. Sitä yritetään uudelleen; voit myös yrittää itse, kun yhteys toimii paremmin.
sync-error-signature = Päivitystä ei otettu käyttöön, koska sitä ei ole allekirjoitettu julkaisijan avaimella.
sync-error-verify = Päivitystä ei otettu käyttöön, koska tämä selain ei osaa tarkistaa julkaisijan allekirjoitusta. Selaimen päivittäminen voi auttaa.
sync-error-worker = Päivitystä ei voitu käynnistää tällä laitteella. Sovelluksen lataaminen uudelleen voi auttaa.
store-error-read = Laitteeseen tallennettuja tietoja ei voitu lukea. Sovelluksen käynnistäminen uudelleen voi auttaa; mitään ei ole poistettu.
demo-notice = Esittelyaineisto: yhdistykset, henkilöt ja yhteystiedot ovat kuvitteellisia.

region-picker-title = Valitse alueesi
region-picker-loading = Haetaan alueita…
region-picker-offline = Alueiden luettelo on haettava kerran verkosta. Yhdistä verkkoon ja yritä uudelleen.
region-picker-legend = Minkä alueiden tiedot tallennetaan tähän laitteeseen?
region-picker-municipality = Kotikunta (ei pakollinen)
region-picker-save = Tallenna ja lataa tiedot
region-picker-save-why = Valitse ensin vähintään yksi alue.
region-picker-retry = Yritä uudelleen

search-label = Hae toimintaa
filters-heading = Rajaa hakua
filters-toggle = { $count ->
    [0] Suodata
   *[other] Suodata ({ $count })
}
filter-any = Kaikki
filter-municipality = Kunta
filter-group = Kohderyhmä
filter-kind = Kesto
filter-role = Tyyppi
filter-language = Kieli
filter-organisation = Yhdistys
filters-clear = Tyhjennä haku ja rajaukset
results-count = { $count ->
    [0] Ei tuloksia
    [one] 1 tulos
   *[other] { $count } tulosta
}
results-awaiting = Tulokset näkyvät tässä, kun alueen tiedot on ladattu.
results-indexing = Hakua valmistellaan. Hakuun sopivat kortit näkyvät tässä hetken kuluttua.
results-more = Näytä lisää ({ $count } jäljellä)

group-everyone = Kaikki
group-children_families = Lapset ja perheet
group-young_people = Nuoret
group-older_people = Ikäihmiset
group-immigrants = Maahanmuuttajat
group-mental_health = Mielenterveyskuntoutujat
group-carers = Omaishoitajat
group-disabilities = Vammaiset henkilöt
kind-ongoing = Jatkuva
kind-popup = Lyhytaikainen (pop-up)
role-volunteer_task = Vapaaehtoistehtävä
role-service = Palvelu asukkaille

language-fi = suomi
language-sv = ruotsi
language-en = englanti
language-se = pohjoissaame
language-smn = inarinsaame
language-sms = koltansaame
language-fit = meänkieli
language-ru = venäjä
language-uk = ukraina
language-ar = arabia
language-so = somali
language-et = viro
language-fa = persia
shown-in-language = { $lang ->
    [fi] suomeksi
    [sv] ruotsiksi
    [en] englanniksi
    [se] pohjoissaameksi
   *[other] muulla kielellä
}

service-not-found = Toimintaa ei löydy
service-not-found-body = Tätä toimintaa ei ole tallennetuissa tiedoissa. Se on voitu poistaa, tai sen alue ei ole valittuna.
service-organisation = Järjestäjä
service-municipalities = Kunnat
service-groups = Kenelle
service-languages = Kielet
service-cost = Hinta
service-free = Maksuton
service-requirements = Edellytykset
service-schedule = Aikataulu
service-contact = Yhteystiedot
service-modified = Päivitetty
service-places = Paikat
service-badges = Tästä tehtävästä voi saada osaamismerkin
service-badge-hours = vaatii { $hours } { $hours ->
    [one] tunnin
   *[other] tuntia
}
open-in-map = Avaa kartalla
schedule-closed = suljettu
day-mo = ma
day-tu = ti
day-we = ke
day-th = to
day-fr = pe
day-sa = la
day-su = su
settings-regions-heading = Alueet
settings-regions-save = Tallenna alueet
place-not-found = Paikkaa ei löydy
place-address = Osoite
place-map = Kartta
place-hours = Aukioloajat
place-accessibility = Esteettömyys
place-booking = Varaaminen
place-activities = Toimintaa tässä paikassa
event-capacity = Osallistujia enintään { $n }
event-enrolment = Ilmoittautuminen ennakkoon vaaditaan.
event-enrolment-none = Ennakkoilmoittautumista ei tarvita.
event-enrolment-heading = Ilmoittautuminen
event-enrolment-opens = Ilmoittautuminen alkaa { $when }.
event-enrolment-closes = Ilmoittaudu viimeistään { $when }.
event-enrolment-closed = Ilmoittautuminen on päättynyt.
event-enrol-web = Ilmoittaudu verkossa
event-enrol-email = Ilmoittaudu sähköpostilla:
event-enrol-phone = Ilmoittaudu puhelimitse:
event-more-info = Lisätietoja
event-more-info-email = Lisätietoja sähköpostilla:
event-more-info-phone = Lisätietoja puhelimitse:
event-add-to-calendar = Lisää kalenteriin
event-when = Aika
event-place = Paikka
event-organiser = Järjestäjä
event-languages = Kielet
event-audience = Kenelle
event-price = Hinta
event-free = Maksuton
event-past = Tapahtuma on jo päättynyt.
event-all = Kaikki tapahtumat
event-loading = Luetaan tallennettuja tietoja…
event-not-found = Tapahtumaa ei löydy
event-not-found-body = Tätä tapahtumaa ei ole tallennetuissa tiedoissa. Se on voitu poistaa, tai sen alue ei ole valittuna.
record-choose-region-title = Avaa sivu tässä puhelimessa
record-choose-region = Tämä sivu kuuluu yhden alueen tietoihin. Valitse alueet, joiden tiedot tähän puhelimeen tallennetaan. Sivu avautuu, kun tiedot on ladattu, ja toimii sen jälkeen ilman verkkoa.

# Varmuuskopio
backup-heading = Varmuuskopio ja siirto uuteen laitteeseen
backup-intro = Tallenna kaikki omat tietosi (tunnit, asetukset, yhdistysten koodit ja osaamismerkit) yhteen tiedostoon. Palauta se uudessa laitteessa tässä: laitteessa jo olevat kirjaukset ja merkit eivät tule kahteen kertaan.
backup-download = Tallenna varmuuskopio tiedostoksi
backup-share = Jaa varmuuskopio
backup-restore-label = Palauta varmuuskopiotiedostosta
backup-restore-hint = Valitse tiedosto, jonka nimi on muotoa talkoo-backup-2026-11-20.json.
file-choose = Valitse tiedosto
file-none-chosen = Ei valittua tiedostoa
backup-load-failed = Varmuuskopiointia ei voitu käynnistää. Sovellus tallentaa sen tarvitsemat tiedostot laitteeseen, kun se on ollut kerran verkossa. Yritä uudelleen, kun olet verkossa.

# Kioskitila
kiosk-refused-title = Ei käytettävissä yhteisellä näytöllä
kiosk-refused-body = Tämä näyttö on yhteiskäytössä, joten omat sivut, kuten Omat tunnit, osaamismerkit ja asetukset, eivät ole täällä käytettävissä. Käytä niitä Talkoossa omalla puhelimellasi.
kiosk-settings-open = Ota kioskitila käyttöön tässä laitteessa
kiosk-load-failed = Kioskitilaa ei voitu käynnistää. Sen tiedostot tallentuvat tähän laitteeseen, kun sovellus on ollut verkossa. Yritä uudelleen, kun olet verkossa.
kiosk-settings-heading = Käytä tätä laitetta kioskina
kiosk-settings-intro = Kioski on kokoontumispaikan yhteinen näyttö. Se näyttää toimintaa, tapahtumia, paikkoja ja yhdistyksiä ja pyyhkii kaiken, mitä käyttäjä teki, kun kukaan ei ole koskenut siihen hetkeen.

## Settings: information from a file (.talkoo bundle)
settings-bundle-heading = Tiedot tiedostosta
settings-bundle-intro = Kun verkkoa ei ole, luettelon tiedot voi tuoda tiedostosta (.talkoo), jonka saa koordinaattorilta tai toisesta puhelimesta. Tiedosto tarkistetaan julkaisijan avaimella ennen käyttöä.
settings-bundle-label = Tuo tiedot tiedostosta
settings-bundle-drop = Voit myös pudottaa tiedoston tähän.
settings-bundle-importing = Tiedostoa tarkistetaan…
settings-bundle-load-failed = Tiedostoa ei voitu lukea, koska sovellus ei ole vielä tallentanut tähän tarvittavia osia laitteelle. Ne tallentuvat, kun sovellus on ollut verkossa. Yritä uudelleen verkossa ollessasi.
settings-pass-on-heading = Anna tiedot eteenpäin
settings-pass-on-intro = Tee tämän puhelimen tiedoista tiedosto ja anna se toiseen puhelimeen esimerkiksi paikassa, jossa ei ole verkkoa. Toinen puhelin tuo sen täällä kohdassa ”Tiedot tiedostosta”.
settings-pass-on-share = Jaa tiedot tiedostona
settings-pass-on-download = Tallenna tiedot tiedostoksi
settings-pass-on-writing = Tiedostoa tehdään…
settings-keep-whole = Säilytä kokonaiset tiedostot, jotta tämä puhelin voi aina antaa tiedot eteenpäin
settings-keep-whole-hint = Päivitykset lataavat silloin muuttuneet tiedostot kokonaan muutosluetteloiden sijaan, mikä kuluttaa enemmän dataa.
settings-keep-whole-failed = Asetusta ei voitu tallentaa tälle laitteelle. Yritä uudelleen.
