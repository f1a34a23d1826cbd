# Talkoo: English catalogue. Keys must match fi.ftl exactly.

app-name = Talkoo
app-tagline = Volunteering and low-threshold services near you
skip-to-content = Skip to content
nav-label = Main menu
nav-catalogue = Search
nav-organisations = Associations
nav-places = Places
nav-events = Events
nav-hours = My hours
nav-badges = Badges
nav-settings = Settings

status-online = Online
status-offline = Offline
status-offline-hint = The app works without a network. Information is updated when the connection returns.

update-available = A new version is available.
update-reload = Reload
update-later = Later
update-applying = Updating…
update-state-idle = Updates have not been checked yet.
update-state-checking = Checking for updates…
update-state-up-to-date = You are using the latest version.
update-state-failed = Could not check for updates. Check your network connection.
update-state-available = A new version has been downloaded and is waiting to be used.
update-checked-minutes-ago = Checked { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
} ago

catalogue-title = Find activities near you
catalogue-intro = Associations' volunteer tasks and low-threshold services in your region, even without a network connection.
organisations-title = Associations
organisations-empty = The association directory appears here once the region's information has been downloaded.
places-title = Meeting places
places-empty = Meeting places and shared premises appear here once the region's information has been downloaded.
events-title = Events
events-empty = Upcoming events appear here once the region's information has been downloaded.
hours-title = My hours
hours-empty = You have not logged any volunteer hours yet.
badges-title = Badges
badges-empty = You have no competence badges yet.
not-found-title = Page not found
not-found-body = The page you are looking for does not exist. It may have moved or been removed.
not-found-home = Go to the front page

settings-title = Settings
settings-language-heading = Language
settings-language-label = App language
settings-language-hint = Your choice is saved on this device.
settings-storage-heading = Storage
settings-storage-persist-label = Persistent storage
settings-storage-persisted-yes = On: the browser will not delete the data when space runs low.
settings-storage-persisted-no = Off: the browser may delete the data if the device runs out of space.
settings-storage-persisted-unknown = The browser does not tell.
settings-storage-usage-label = Space used
settings-storage-usage = { $used } of { $quota } ({ $percent } %)
settings-storage-usage-unknown = The browser does not tell how much space is used.
settings-storage-error = The device's storage could not be opened: { $reason }
settings-app-heading = App
settings-app-version = Version
settings-app-build = Build
settings-app-build-unknown = unknown
settings-update-check = Check for updates
settings-update-apply = Use the new version

sync-heading = Data updates
sync-never = The region's information has not been downloaded to this device yet.
sync-age-now = Information updated just now.
sync-age-minutes = Information updated { $n } min ago.
sync-age-hours = Information from { $n } { $n ->
    [one] hour
   *[other] hours
} ago.
sync-age-days = Information from { $n } { $n ->
    [one] day
   *[other] days
} ago.
sync-progress = Downloading { $done } / { $total } kB
sync-now = Update now
sync-running = Updating…
sync-error-network = The update failed because there is no network connection.
sync-error-http = The update failed: the server did not answer correctly.
sync-error-version = The update failed: the information is in a newer format. Update the app.
sync-error-feed = The update failed: the downloaded information was damaged and was not used.
sync-error-store = The update failed: the information could not be saved on this device.
sync-error-old-data = The information downloaded earlier is still in use.
demo-notice = Demo data: the associations, people and contact details are fictional.

region-picker-title = Choose your region
region-picker-loading = Fetching regions…
region-picker-offline = The list of regions needs a network connection once. Connect and choose “Update now”.
region-picker-legend = Which regions' information should be saved on this device?
region-picker-municipality = Home municipality (optional)
region-picker-save = Save and download

search-label = Search activities
filters-heading = Narrow the search
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
results-more = Show more

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

service-not-found = Card not found
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
event-capacity = Places
event-enrolment = Enrolment required.
event-add-to-calendar = Add to calendar
