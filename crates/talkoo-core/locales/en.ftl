# Talkoo: English catalogue. Keys must match fi.ftl exactly.

app-name = Talkoo
skip-to-content = Skip to content
nav-label = Main menu
nav-catalogue = Search
nav-organisations = Associations
nav-places = Places
nav-events = Events
nav-hours = My hours
nav-badges = Badges
nav-settings = Settings
nav-more = More
back-to-catalogue = Back to the results
back-to-places = Back to places
back-to-events = Back to events

status-online = Online
status-offline = Offline
status-offline-hint = The app works without a network. Information is updated when the connection returns.

update-available = A new version is available.
update-reload = Reload
update-later = Later
update-applying = Updating…
storage-given-way = Talkoo was updated in another tab or window. Reload this page to go on.
update-state-idle = Updates have not been checked yet.
update-state-checking = Checking for updates…
update-state-up-to-date = You are using the latest version.
update-state-failed = Could not check for updates. Check your network connection.
update-state-available = A new version has been downloaded and is waiting to be used.
update-checked-minutes-ago = Checked { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
} ago

install-title = Install Talkoo
install-why = Once installed, Talkoo opens from its own icon like other apps and also works offline.
install-button = Install
install-ios-steps = Tap Safari's Share button (the square with an arrow pointing up) and choose Add to Home Screen.
install-later = Not now

catalogue-title = Find activities near you
catalogue-intro = Associations' volunteer tasks and low-threshold services in your region, even without a network connection.
catalogue-rebuilding = Preparing the information saved on this device…
organisations-title = Associations
organisations-empty = The association directory appears here once the region's information has been downloaded.
places-title = Meeting places
places-empty = Meeting places and shared premises appear here once the region's information has been downloaded.
events-title = Events
events-empty = Upcoming events appear here once the region's information has been downloaded.
wallet-loading = Opening badges…
wallet-load-failed = Badges could not be opened. They are saved on this device once the app has been online. Try again when you are online.
wallet-load-retry = Try again
hours-module-loading = Opening your hours…
page-loading = Opening the page…
page-load-failed = The page could not be opened. It is saved on this device once the app has been online. Try again when you are online.
hours-load-failed = The hours page could not be opened. The hours you have logged are safe on this device. The page is saved on this device once the app has been online. Try again when you are online.
not-found-title = Page not found
not-found-body = The page you are looking for does not exist. It may have moved or been removed.
not-found-home = Go to the front page

settings-title = Settings
settings-language-heading = Language
settings-language-label = App language
settings-language-hint = Your choice is saved on this device.
settings-language-failed = { $language } could not be loaded on this device yet. The app stays in its current language. Try again when you are online.
settings-storage-heading = Storage
settings-storage-persist-label = Persistent storage
settings-storage-persist-explain = Persistent storage means the browser will not delete your hours, settings or downloaded information, even when the device runs low on space. Without it, the browser may clear them. Still make a backup now and then: persistent storage does not help if the device is lost or you clear the browser's data yourself.
settings-storage-persisted-yes = On: the browser will not delete the data when space runs low.
settings-storage-persisted-no = Off: the browser may delete the data if the device runs out of space.
settings-storage-persisted-unknown = The browser does not tell.
settings-storage-usage-label = Space used
settings-storage-usage = { $used } of { $quota } ({ $percent }%)
settings-storage-usage-unknown = The browser does not tell how much space is used.
settings-storage-error = The device's storage could not be opened: { $reason }
settings-install-heading = Installing the app
settings-install-installed = Talkoo is installed on this device.
settings-install-unavailable = This browser does not offer installing. You can use Talkoo in the browser as you do now.
settings-app-heading = App
settings-offline-unavailable = This browser does not allow offline use (for example in a private window). Talkoo works while you are online, and your hours are still saved on this device.
settings-app-version = Version
settings-app-build = Build
settings-app-build-unknown = unknown
settings-update-check = Check for updates
settings-update-apply = Use the new version

sync-heading = Data updates
sync-never = The region's information has not been downloaded to this device yet.
sync-indexing = The region's data has been downloaded. Search is being prepared.
sync-age-now = Information updated just now.
sync-age-minutes = Information updated { $n } min ago.
sync-age-hours = Information updated { $n } { $n ->
    [one] hour
   *[other] hours
} ago.
sync-age-days = Information updated { $n } { $n ->
    [one] day
   *[other] days
} ago.
sync-progress = Downloading { $done } / { $total } kB
sync-now = Update now
sync-now-short = Update
sync-running = Updating…
sync-error-network = The update failed because there is no network connection.
sync-error-http = The update failed: the server did not answer correctly.
sync-error-version = The update failed: the information is in a newer format. Update the app.
sync-error-feed = The update failed: the downloaded information was damaged and was not used.
sync-error-store = The update failed: the information could not be saved on this device.
sync-error-old-data = The information downloaded earlier is still in use.
sync-error-stalled = The update stopped because the connection stalled or was too slow. It will be tried again; you can also try when the signal is better.
sync-error-signature = The update was not used because it is not signed with the publisher's key.
sync-error-verify = The update was not used because this browser cannot check the publisher's signature. Updating the browser may help.
sync-error-worker = The update could not start on this device. Reloading the app may help.
store-error-read = The information saved on this device could not be read. Restarting the app may help; nothing has been deleted.
demo-notice = Demo data: the associations, people and contact details are fictional.

region-picker-title = Choose your region
region-picker-loading = Fetching regions…
region-picker-offline = The list of regions needs a network connection once. Connect and try again.
region-picker-legend = Which regions' information should be saved on this device?
region-picker-municipality = Home municipality (optional)
region-picker-save = Save and download
region-picker-save-why = Choose at least one region first.
region-picker-retry = Try again

search-label = Search activities
filters-heading = Narrow the search
filters-toggle = { $count ->
    [0] Filter
   *[other] Filter ({ $count })
}
filter-any = All
filter-municipality = Municipality
filter-group = Target group
filter-kind = Duration
filter-role = Type
filter-language = Language
filter-organisation = Association
filters-clear = Clear the search and filters
results-count = { $count ->
    [0] No results
    [one] 1 result
   *[other] { $count } results
}
results-awaiting = Results will show here once the region has been downloaded.
results-indexing = Search is being prepared. Matching cards will show here in a moment.
results-more = Show more ({ $count } left)

group-everyone = Everyone
group-children_families = Children and families
group-young_people = Young people
group-older_people = Older people
group-immigrants = Immigrants
group-mental_health = Mental-health rehabilitees
group-carers = Carers
group-disabilities = People with disabilities
kind-ongoing = Ongoing
kind-popup = Short-term (pop-up)
role-volunteer_task = Volunteer task
role-service = Service for residents

language-fi = Finnish
language-sv = Swedish
language-en = English
language-se = Northern Sámi
language-smn = Inari Sámi
language-sms = Skolt Sámi
language-fit = Meänkieli
language-ru = Russian
language-uk = Ukrainian
language-ar = Arabic
language-so = Somali
language-et = Estonian
language-fa = Persian
shown-in-language = { $lang ->
    [fi] in Finnish
    [sv] in Swedish
    [en] in English
    [se] in Northern Sámi
   *[other] in another language
}

service-not-found = Activity not found
service-not-found-body = This activity is not in the stored information. It may have been removed, or its region is not chosen.
service-organisation = Organiser
service-municipalities = Municipalities
service-groups = For whom
service-languages = Languages
service-cost = Price
service-free = Free of charge
service-requirements = Requirements
service-schedule = Schedule
service-contact = Contact
service-modified = Updated
service-places = Places
service-badges = This task can earn a badge
service-badge-hours = requires { $hours } { $hours ->
    [one] hour
   *[other] hours
}
open-in-map = Open in map
schedule-closed = closed
day-mo = Mon
day-tu = Tue
day-we = Wed
day-th = Thu
day-fr = Fri
day-sa = Sat
day-su = Sun
settings-regions-heading = Regions
settings-regions-save = Save regions
place-not-found = Place not found
place-address = Address
place-map = Map
place-hours = Opening hours
place-accessibility = Accessibility
place-booking = Booking
place-activities = Activities here
event-capacity = Up to { $n } participants
event-enrolment = Advance enrolment is required.
event-enrolment-none = No need to enrol in advance.
event-enrolment-heading = Enrolment
event-enrolment-opens = Enrolment opens { $when }.
event-enrolment-closes = Enrol by { $when }.
event-enrolment-closed = Enrolment has closed.
event-enrol-web = Enrol online
event-enrol-email = Enrol by e-mail:
event-enrol-phone = Enrol by phone:
event-more-info = More information
event-more-info-email = More information by e-mail:
event-more-info-phone = More information by phone:
event-add-to-calendar = Add to calendar
event-when = When
event-place = Place
event-organiser = Organiser
event-languages = Languages
event-audience = For whom
event-price = Price
event-free = Free of charge
event-past = This event is over.
event-all = All events
event-loading = Reading the saved information…
event-not-found = Event not found
event-not-found-body = This event is not in the saved information. It may have been removed, or its region is not chosen.
record-choose-region-title = Open this page on your phone
record-choose-region = This page is in the information of one region. Choose the regions to keep on this phone; the page opens once their information has been downloaded, and works without a network from then on.

# Backup
backup-heading = Backup and moving to a new device
backup-intro = Save all your own data (hours, settings, association codes and badges) in one file. On a new device, restore it here: entries and badges already on the device are not duplicated.
backup-download = Save the backup as a file
backup-share = Share backup
backup-restore-label = Restore from a backup file
backup-restore-hint = Choose a file named like talkoo-backup-2026-11-20.json.
file-choose = Choose file
file-none-chosen = No file chosen
backup-load-failed = Backups could not be started. The app saves what they need on this device once it has been online. Try again when you are online.

# Kiosk mode
kiosk-refused-title = Not available on a shared screen
kiosk-refused-body = This screen is shared, so personal pages such as My hours, badges and settings are not available here. Use Talkoo on your own phone for them.
kiosk-settings-open = Set this device up as a kiosk
kiosk-load-failed = Kiosk mode could not be started. Its files are saved on this device once the app has been online. Try again when you are online.
kiosk-settings-heading = Use this device as a kiosk
kiosk-settings-intro = A kiosk is a shared screen at a meeting place. It shows activities, events, places and associations, and clears everything a visitor did when nobody has touched it for a while.

## Settings: information from a file (.talkoo bundle)
settings-bundle-heading = Information from a file
settings-bundle-intro = When there is no network, the catalogue's information can come on a file (.talkoo) from a coordinator or another phone. The file is checked against the publisher's key before it is used.
settings-bundle-label = Import information from a file
settings-bundle-drop = You can also drop the file here.
settings-bundle-importing = Checking the file…
settings-bundle-load-failed = The file could not be read because the app has not yet saved what it needs for this on this device. It is saved once the app has been online. Try again when you are online.
settings-pass-on-heading = Pass the information on
settings-pass-on-intro = Make a file of the information on this phone and give it to another phone, for example where there is no network. The other phone imports it here, under "Information from a file".
settings-pass-on-share = Share the information as a file
settings-pass-on-download = Save the information as a file
settings-pass-on-writing = Making the file…
settings-keep-whole = Keep whole files so that this phone can always pass the information on
settings-keep-whole-hint = Updates then download whole changed files instead of lists of changes, which takes more data.
settings-keep-whole-failed = The setting could not be saved on this device. Try again.
