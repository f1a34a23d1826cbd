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
catalogue-empty = The region's information has not been downloaded to this device yet.
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
