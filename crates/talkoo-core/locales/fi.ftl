# Talkoo: Finnish, the default and reference catalogue. Every key here must
# exist in sv.ftl and en.ftl (checked by the core's catalogue test).

app-name = Talkoo
app-tagline = Vapaaehtoistoimintaa ja matalan kynnyksen palveluja lähelläsi
skip-to-content = Siirry sisältöön
nav-label = Päävalikko
nav-catalogue = Haku
nav-organisations = Yhdistykset
nav-places = Paikat
nav-events = Tapahtumat
nav-hours = Omat tunnit
nav-badges = Osaamismerkit
nav-settings = Asetukset

status-online = Verkossa
status-offline = Ei verkkoa
status-offline-hint = Sovellus toimii ilman verkkoa. Tiedot päivittyvät, kun yhteys palaa.

update-available = Uusi versio on saatavilla.
update-reload = Lataa uudelleen
update-later = Myöhemmin
update-applying = Päivitetään…
update-state-idle = Päivityksiä ei ole vielä tarkistettu.
update-state-checking = Tarkistetaan päivityksiä…
update-state-up-to-date = Käytössä on uusin versio.
update-state-failed = Päivitystä ei voitu tarkistaa. Tarkista verkkoyhteys.
update-state-available = Uusi versio on ladattu ja odottaa käyttöönottoa.
update-checked-minutes-ago = Tarkistettu { $minutes } { $minutes ->
    [one] minuutti
   *[other] minuuttia
} sitten

catalogue-title = Löydä toimintaa lähelläsi
catalogue-intro = Yhdistysten vapaaehtoistehtävät ja matalan kynnyksen palvelut kotiseudultasi, myös ilman verkkoyhteyttä.
organisations-title = Yhdistykset
organisations-empty = Yhdistyshakemisto näkyy tässä, kun alueen tiedot on ladattu.
places-title = Kokoontumispaikat
places-empty = Kokoontumispaikat ja yhteiset tilat näkyvät tässä, kun alueen tiedot on ladattu.
events-title = Tapahtumat
events-empty = Tulevat tapahtumat näkyvät tässä, kun alueen tiedot on ladattu.
hours-title = Omat tunnit
hours-empty = Et ole vielä kirjannut vapaaehtoistunteja.
badges-title = Osaamismerkit
badges-empty = Sinulla ei ole vielä osaamismerkkejä.
not-found-title = Sivua ei löydy
not-found-body = Etsimääsi sivua ei ole. Se on voinut siirtyä tai poistua.
not-found-home = Siirry etusivulle

settings-title = Asetukset
settings-language-heading = Kieli
settings-language-label = Sovelluksen kieli
settings-language-hint = Valinta tallentuu tähän laitteeseen.
settings-storage-heading = Tallennustila
settings-storage-persist-label = Pysyvä tallennus
settings-storage-persisted-yes = Käytössä: selain ei poista tietoja tilan loppuessa.
settings-storage-persisted-no = Ei käytössä: selain voi poistaa tiedot, jos laitteen tila loppuu.
settings-storage-persisted-unknown = Selain ei kerro tätä.
settings-storage-usage-label = Käytetty tila
settings-storage-usage = { $used } / { $quota } ({ $percent } %)
settings-storage-usage-unknown = Selain ei kerro käytettyä tilaa.
settings-storage-error = Laitteen tallennustilaa ei voitu avata: { $reason }
settings-app-heading = Sovellus
settings-app-version = Versio
settings-app-build = Koontiversio
settings-app-build-unknown = tuntematon
settings-update-check = Tarkista päivitykset
settings-update-apply = Ota uusi versio käyttöön

sync-heading = Tietojen päivitys
sync-never = Alueen tietoja ei ole vielä ladattu tähän laitteeseen.
sync-age-now = Tiedot päivitetty juuri.
sync-age-minutes = Tiedot päivitetty { $n } min sitten.
sync-age-hours = Tiedot { $n } tunnin takaa.
sync-age-days = Tiedot { $n } { $n ->
    [one] päivän
   *[other] päivän
} takaa.
sync-progress = Ladataan { $done } / { $total } kt
sync-now = Päivitä nyt
sync-running = Päivitetään…
sync-error-network = Päivitys ei onnistunut, koska verkkoyhteyttä ei ole.
sync-error-http = Päivitys ei onnistunut: palvelin ei vastannut oikein.
sync-error-version = Päivitys ei onnistunut: tiedot ovat uudemmassa muodossa. Päivitä sovellus.
sync-error-feed = Päivitys ei onnistunut: ladattu tieto oli vioittunut, eikä sitä otettu käyttöön.
sync-error-store = Päivitys ei onnistunut: tietoja ei voitu tallentaa laitteeseen.
sync-error-old-data = Aiemmin ladatut tiedot ovat edelleen käytössä.
demo-notice = Esittelyaineisto: yhdistykset, henkilöt ja yhteystiedot ovat kuvitteellisia.

region-picker-title = Valitse alueesi
region-picker-loading = Haetaan alueita…
region-picker-offline = Alueiden luettelo tarvitsee verkkoyhteyden kerran. Yhdistä verkkoon ja valitse ”Päivitä nyt”.
region-picker-legend = Minkä alueiden tiedot tallennetaan tähän laitteeseen?
region-picker-municipality = Kotikunta (valinnainen)
region-picker-save = Tallenna ja lataa tiedot

search-label = Hae toimintaa
filters-heading = Rajaa hakua
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
results-more = Näytä lisää

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

service-not-found = Korttia ei löydy
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
event-capacity = Paikkoja
event-enrolment = Ennakkoilmoittautuminen.
event-add-to-calendar = Lisää kalenteriin
