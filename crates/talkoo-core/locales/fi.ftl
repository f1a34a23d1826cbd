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
catalogue-empty = Alueen tietoja ei ole vielä ladattu tähän laitteeseen.
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
