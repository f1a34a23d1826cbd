## The messages of the pages the badges module draws (badges, My hours, kiosk mode),
## built into the badges module only (talkoo-core feature badge-messages),
## so that the first-load shell does not carry them.

badges-title = Badges
badges-empty = You have no competence badges yet.
badge-check-link = Check someone else's badge
badge-check-title = Check a badge
badge-check-intro = Check that a badge someone shows you is genuine and valid. Checking works offline too.
badge-check-not-stored = The badge is not saved on this device.
badge-check-drop = Drag the badge's file here or choose it
badge-check-file-hint = An image (PNG or SVG), or a JSON or JWT file.
badge-check-paste = Or paste the badge's text (JSON or JWT)
badge-check-submit = Check
badge-check-checking = Checking…
badge-check-nothing = Choose a file or paste the badge's text first.
badge-check-not-checked = The badge could not be checked
badge-level-valid = Valid
badge-level-warning = Valid, with warnings
badge-level-invalid = Not valid
badge-check-level-valid = Passed
badge-check-level-warning = Warning
badge-check-level-invalid = Failed
badge-checks-heading = Checks
badge-check-not-a-badge = This is not a badge, or it cannot be read. Check that you chose the right file.
badge-check-png-damaged = The image file is damaged, so the badge cannot be read.
badge-check-svg-malformed = The SVG image is malformed, so the badge cannot be read.
badge-check-not-baked = The image holds no badge. Ask the issuer for a badge with its details inside.
badge-check-jwt-malformed = The badge's text is damaged and cannot be read.
badge-check-not-a-credential = The file is JSON, but it is not a competence badge.
badge-check-hosted-only = The image holds only the badge's address. The badge can be read only with a network connection.
badge-check-no-proof = The badge has no signature, so it cannot be shown to be genuine.
badge-check-unreadable-file = The file could not be read. Try again or choose another file.
badge-check-unknown = This version of Talkoo has no explanation for this result yet. Code: { $code }
verifier-error-start = The badge checker could not start. Reload the page while online and try again.
verifier-error-failed = The check stopped with an error. Try again. If it happens again, this badge cannot be checked with Talkoo.
badges-intro = Competence badges show what you have learnt as a volunteer. They are kept on this device and are checked even without a network connection.
badges-list-label = Your badges
badges-error-storage = Badges could not be read or saved on this device.
badges-error-fetch = The badge could not be fetched from that address. Check the address, or save the badge as a file.
badges-check-link = Check someone else's badge
badges-issued-by = Issued by { $issuer }
badges-issued-by-unknown = Issued by { $issuer } (not known in your regions)
badges-checked-on = checked { $date }
badge-check-structure-valid = The badge has every required field.
badge-check-structure-missing-context = The badge is malformed: the definition { $context } is missing.
badge-check-structure-missing-type = The badge is malformed: the type { $type } is missing.
badge-check-structure-missing-issuer = The badge does not say who issued it.
badge-check-structure-missing-subject = The badge does not name a recipient.
badge-check-structure-missing-achievement = The badge does not say what it was awarded for.
badge-check-structure-missing-valid-from = The badge has no date of issue.
badge-check-proof-valid = The signature matches: the badge has not been changed since it was issued.
badge-check-proof-signature-mismatch = The signature does not match: the badge was changed after it was issued, or it is forged.
badge-check-proof-algorithm-refused = The badge's signature method ({ $alg }) is not accepted, because it does not show who issued the badge.
badge-check-proof-key-unusable = The signing key cannot be used: { $key }
badge-check-proof-key-not-found = The signing key is published online only, so the signature will be checked when there is a connection: { $key }
badge-check-proof-claims-mismatch = A signed detail ({ $claim }) does not match the badge's content.
badge-check-proof-unsupported = A signature of this kind cannot be checked: { $detail }
badge-check-proof-invalid = The signature is not valid: { $detail }
badge-check-proof-hosted = This badge is checked on the issuer's server when there is a connection: { $url }
badge-check-issuer-known = The issuer, { $name }, is known in your regions.
badge-check-issuer-unknown = The signature matches, but the issuer, { $name }, is not known in your regions.
badge-check-issuer-key-mismatch = The badge was signed with a key that does not belong to its issuer.
badge-check-issuer-not-checked = Who issued the badge could not be established, because the signature could not be checked.
badge-check-validity-valid = The badge is valid.
badge-check-validity-not-yet-valid = The badge is valid only from { $date }.
badge-check-validity-expired = The badge expired on { $date }.
badge-check-validity-bad-date = A date in the badge ({ $field }) is malformed.
badge-check-status-none = The badge has no revocation list, so its issuer cannot revoke it.
badge-check-status-valid = The badge has not been revoked (list fetched { $fetched }).
badge-check-status-revoked = The issuer has revoked the badge (list fetched { $fetched }).
badge-check-status-suspended = The badge is suspended (list fetched { $fetched }).
badge-check-status-not-checked = The revocation list has not been fetched yet. It will be when there is a connection.
badge-check-status-unsupported = The badge's status cannot be checked: { $detail }
badge-check-status-list-malformed = The revocation list could not be read.
badge-check-status-list-issuer-mismatch = The revocation list was published by someone other than the badge's issuer.
badge-check-status-list-unsigned = The revocation list is not signed, so the badge could not be checked for revocation.
badge-check-status-list-unverified = The revocation list's signature does not match or cannot be checked, so the badge could not be checked for revocation.
badge-check-status-list-key-not-found = The revocation list's signing key is not available on this device, so the badge could not be checked for revocation.
badge-check-status-list-key-mismatch = The revocation list was signed by someone other than the badge's issuer, so the badge could not be checked for revocation.
badge-check-status-list-expired = The revocation list expired on { $date }, so the badge could not be checked for revocation.
badge-check-status-list-not-yet-valid = The revocation list is valid only from { $date }, so the badge could not be checked for revocation.
badge-check-recipient-id = The recipient is named in the badge by an identifier.
badge-check-recipient-identity = The recipient is named in the badge.
badge-check-recipient-hashed = The recipient's identity is protected in the badge and is not shown.
badge-check-recipient-none = The badge does not say whom it was issued to.
badge-check-qr-damaged = The badge in the QR code is damaged and cannot be read. Ask to see the code again.
badge-check-qr-oversized = The QR code holds more data than any badge, so it is not read.
badges-issuer = Issuer
badges-recipient = Recipient
badges-description = Description
badges-criteria = Criteria
badges-skills = Skills
badges-evidence = Evidence
badges-valid-from = Issued
badges-valid-until = Valid until
badges-add-heading = Add a badge
badges-add-hint = A badge can be an image (PNG or SVG) with the badge inside it, or a JSON or JWT file.
badges-add-file = Choose a file
badges-add-paste = Or paste the badge's text
badges-add-paste-button = Add the pasted badge
badges-add-url = Or give the badge's address
badges-add-url-hint = Fetching a badge from an address needs a network connection.
badges-add-url-offline = No network connection. Add the badge as a file or paste its text.
badges-add-url-button = Fetch the badge
badges-checking = Checking the badge…
badges-not-found = This badge is not on this device
badges-back = All badges
badges-recheck = Check again
badges-share = Share the original file
badges-download = Download the original file
badges-share-image = Share as image
badges-download-image = Download as image
badges-share-image-failed = The image could not be made. Share the original file instead.
badges-qr-show = Show as QR code
badges-qr-hide = Hide the QR code
badges-qr-making = Making the QR code…
badges-qr-alt = A QR code holding the competence badge { $name }. Another phone can read it in Talkoo under Check a badge or Add a badge.
badges-qr-hint = Show the code to another phone. Keep the screen bright and the phone still.
badges-qr-too-large = The badge is too large for a QR code. Share it as a file or an image instead.
scan-start = Scan a QR code with the camera
scan-cancel = Stop scanning
scan-video = Camera view. Point the camera at the QR code.
scan-looking = Looking for a QR code…
scan-no-camera = This device has no camera Talkoo can use. Choose the badge's file or paste its text.
scan-denied = The camera is blocked. Allow the camera in the browser's settings, or choose the badge's file.
scan-failed = The camera could not start. Try again, or choose the badge's file.
badges-remove = Remove from this device
badges-remove-confirm = Confirm removal

## Backups, which the module writes and restores (src/badges/backup.rs).

backup-done = Backup made with { $count } { $count ->
    [one] entry
   *[other] entries
}. Keep the file safe: it contains your association codes.
backup-restored = Restored: { $added } added, { $updated } updated, { $same } already on this device.
backup-restored-badges = Badges: { $added } added, { $updated } updated, { $same } already on this device.
backup-error = The backup could not be restored: { $reason }

## Kiosk mode's screens (src/kiosk/): the attract screen, the bar, the idle
## warning and PIN dialog, the set-up page and Settings' set-up form, which
## the same module draws.

kiosk-problem-nothing-shown = Choose a meeting place or at least one municipality.
kiosk-problem-bad-place = The meeting place was not recognised. Choose a place from the list.
kiosk-problem-bad-municipality = A municipality was not recognised. Choose the municipalities from the list.
kiosk-problem-no-language = Choose at least one language.
kiosk-problem-unknown-language = The link names a language Talkoo does not have. The languages are Finnish, Swedish and English.
kiosk-problem-idle-out-of-range = The time before the warning must be 30–900 seconds.
kiosk-problem-warning-out-of-range = The warning must show for 20–120 seconds.
kiosk-problem-bad-pin = The PIN must have 4–8 digits.
kiosk-problem-no-pin = The link has no PIN. Ask the coordinator for a new link.
kiosk-problem-bad-pin-hash = The PIN in the link is damaged. Ask the coordinator for a new link.
kiosk-problem-not-setup-link = This is not a kiosk set-up link.
kiosk-problem-repeated-parameter = The link gives the same setting twice. Ask the coordinator for a new link.
kiosk-problem-bad-public = The address for visitors' phones must be a whole https:// address, such as https://example.org/talkoo/.
kiosk-touch-to-start = Touch to start
kiosk-attract-upcoming = Coming up here
kiosk-attract-ongoing = Volunteer with us
kiosk-attract-nothing = Nothing is coming up here just now. Touch the screen to search for activities.
kiosk-choices-label = Language and display
kiosk-larger-text = Larger text
kiosk-high-contrast = High contrast
kiosk-idle-title = Are you still there?
kiosk-idle-countdown = { $seconds ->
    [one] The screen starts over in { $seconds } second.
   *[other] The screen starts over in { $seconds } seconds.
}
kiosk-idle-continue = Continue
kiosk-pin-title = Leave kiosk mode
kiosk-pin-label = PIN
kiosk-pin-submit = Leave kiosk mode
kiosk-pin-cancel = Cancel
kiosk-pin-wrong = { $tries ->
    [one] Wrong PIN. { $tries } try left.
   *[other] Wrong PIN. { $tries } tries left.
}
kiosk-pin-locked = { $seconds ->
    [one] Too many wrong PINs. Try again in { $seconds } second.
   *[other] Too many wrong PINs. Try again in { $seconds } seconds.
}
kiosk-exit-failed = Kiosk mode could not be switched off: { $reason }
kiosk-setup-title = Kiosk mode
kiosk-setup-intro = This link makes this device a kiosk: a shared screen where anyone can browse activities, events, places and associations. Nothing anyone types on it is saved.
kiosk-setup-problems = This set-up link cannot be used:
kiosk-setup-exit-hint = To leave kiosk mode later, press the top right corner of the screen for two seconds and enter the PIN.
kiosk-enter = Use this device as a kiosk
kiosk-save-failed = Kiosk mode could not be saved: { $reason }
kiosk-place = Meeting place
kiosk-place-none = No place, municipalities only
kiosk-place-unknown = { $id } (not in the regions downloaded to this device)
kiosk-municipalities = Municipalities shown
kiosk-languages = Languages offered
kiosk-languages-hint = The first language ticked is the one the screen returns to for each new visitor.
kiosk-idle = Time before the warning (seconds)
kiosk-idle-hint = 30–900 seconds. The warning then counts down for 20 seconds before the screen starts over.
kiosk-warning = Warning shown for
kiosk-seconds = { $seconds } s
kiosk-pin-new = PIN for leaving kiosk mode (4–8 digits)
kiosk-pin-again = The same PIN again
kiosk-pins-differ = The two PINs are not the same. Type the same PIN in both fields.
kiosk-make-link = Make the set-up link
kiosk-link = Set-up link
kiosk-link-hint = Copy this link, or print it, to set up other screens in one step. It does not contain the PIN itself, but keep it like a key.
kiosk-public = Address for visitors' phones (optional)
kiosk-public-shown = Address for visitors' phones
kiosk-public-hint = Only needed when this screen opens Talkoo at an address phones cannot reach, such as a server on the meeting place's own network. “Take this page with you” then gives phones this address, such as https://example.org/talkoo/.
kiosk-take-open = Take this page with you
kiosk-take-intro = Point your phone's camera at a code and open the link it shows. Nothing is saved on this screen.
kiosk-take-page = This page
kiosk-take-page-qr = QR code of this page's address
kiosk-take-phone = Phone number
kiosk-take-phone-qr = QR code for calling { $number }
kiosk-take-email = E-mail address
kiosk-take-email-qr = QR code for writing to { $address }
kiosk-take-too-long = The address is too long for a QR code.
kiosk-take-close = Close
kiosk-updated = Information updated { $when }

## Importing a .talkoo bundle (src/import.rs)
bundle-error-not-pinned = This file cannot be checked yet, so it was not used. Update the information once while online, then try again.
bundle-error-signature = This file was not used because it is not signed with the publisher's key. The information on this device is unchanged.
bundle-error-older = This file was not used because its information is older than the information already on this device. The information on this device is unchanged.
bundle-error-incomplete = This file was not used because it does not hold all the information of any region.
bundle-error-version = This file was not used: its information is in a newer format. Update the app.
bundle-error-damaged = This file was not used because it is damaged.
bundle-error-store = The information in this file could not be saved on this device.
bundle-error-verify = This file was not used because this browser cannot check the publisher's signature. Updating the browser may help.
bundle-note-older = Some regions in the file are older than the information on this device and were left as they were.
bundle-done = The information in the file is now in use: { $regions }.
bundle-error-not-bundle = This file was not used because it is not a Talkoo data file, or it is damaged.
bundle-error-too-large = This file was not used because it is too large for this device.
export-done = The file holds the information of { $regions }. The other phone imports it in Settings, under "Information from a file".
export-not-ready-behind = { $region } is not in the file because its information is being updated. Update the information while online, then try again.
export-not-ready-not-whole = { $region } is not in the file because this phone does not have all of its files. Turn on "Keep whole files" below and update the information while online.
export-error-nothing-ready = No information could be put in the file.
export-error-no-catalogue = There is no information on this phone to pass on yet.
export-error-unsigned = This information cannot be passed on because its publisher has not signed it.
export-error-store = The file could not be made from the information on this phone.

# Volunteer hours
hours-title = My hours
hours-empty = You have not logged any volunteer hours yet.
hours-intro = Log your volunteer hours here, even without a network. They are saved on this device at once. They reach an association only if it receives hours through Talkoo and you have joined it with a code from its coordinator; each entry says whether it will be sent.
hours-loading = Reading your hours…
hours-add = Log hours
hours-saved = Saved on this device.
hours-new-title = Log hours
hours-edit-title = Edit entry
hours-back = Back to my hours
hours-read-only = This entry has been sent to the association and can no longer be changed.
hours-form-has-problems = Please check the fields marked below.
hours-field-date = Date
hours-field-date-hint = E.g. 2 Dec 2026
hours-date-today = Today
hours-date-yesterday = Yesterday
hours-field-time-legend = Time
hours-field-time-hint = Give a start and end time (e.g. 9:00 and 12:30), or only the duration in hours (e.g. 1.5 or 1:30).
hours-field-start = Start
hours-field-end = End
hours-field-duration = Duration (hours)
hours-duration-is = Duration: { $hours } h
hours-field-organisation = Association
hours-field-organisation-hint = Pick from the list or type a name if the association is not in the catalogue.
hours-org-show-list = Show associations
hours-org-list = Associations
hours-org-more = { $more } more – type more of the name.
hours-dest-inbox = Will be sent to { $name } through Talkoo when online.
hours-dest-joinable = Kept on this device only. { $name } receives hours through Talkoo once you join with a code from its coordinator.
hours-dest-device-only = Kept on this device only. { $name } does not receive hours through Talkoo.
hours-dest-code-refused = Kept on this device only. Your join code for { $name } is no longer valid; join again with a new code.
hours-dest-join = Join with a code
hours-dest-join-later = You can join after saving, on My hours; this entry is then sent too.
hours-field-activity = Activity (optional)
hours-field-activity-none = No specific activity
hours-field-category = Type of work
hours-field-note = Note (optional)
hours-category-guidance = Guidance and advice
hours-category-transport = Transport and escorting
hours-category-events = Events
hours-category-peer-support = Peer support and befriending
hours-category-office = Office work
hours-category-other = Other
hours-warning-long-day = That day would have { $hours } hours in total, more than 16. Check the times; if they are right, save anyway.
hours-save = Save
hours-save-anyway = Save anyway
hours-cancel = Cancel
hours-problem-bad-id = The entry's identifier is damaged.
hours-problem-bad-date = Give the date as day, month and year, for example 2 Dec 2026.
hours-problem-future-date = The date cannot be in the future.
hours-problem-bad-time = Give times as hours and minutes, for example 9:30.
hours-problem-half-times = Give both the start and the end time, or neither.
hours-problem-end-not-after-start = The end must be after the start.
hours-problem-times-disagree = The duration does not match the start and end times.
hours-problem-bad-duration = Give the duration in hours, for example 2, 1.5 or 1:30.
hours-problem-no-duration = Give the start and end time or the duration.
hours-problem-not-positive = The duration must be more than zero.
hours-problem-longer-than-a-day = One entry can be at most 24 hours.
hours-problem-no-organisation = Choose or type the association.
hours-problem-no-category = Choose the type of work.
hours-problem-note-too-long = The note is too long (at most 2,000 characters).
hours-error-store = The entry could not be saved on this device. Try again.
hours-error-not-editable = This entry has already been sent and can no longer be changed.
hours-error-missing = This entry is no longer on this device.
hours-error-invalid = Please check the form.
hours-error-offline = Joining needs a network connection. Try again when you are online.
hours-error-unknown-code = The association did not recognise the code. Check it with your coordinator.
hours-error-wrong-organisation = The code belongs to another association.
hours-error-network = The association's service could not be reached. Try again later.
hours-error-insecure = The association's service address is not secure, so your code was not sent. Tell the association.
hours-error-read = Your hours could not be read from this device. Nothing was sent; restarting the app may help.
inbox-problem-unreachable = { $name }: could not be reached. Entries wait and are sent later.
inbox-problem-timeout = { $name }: did not answer in time. Entries wait and are sent later.
inbox-problem-http = { $name }: the service had a problem. Entries wait and are sent later.
inbox-problem-unauthorized = { $name }: your join code is no longer valid. Ask the coordinator for a new code and join again.
inbox-problem-busy = { $name }: the service asked to wait a while. Entries are sent later.
inbox-problem-insecure = { $name }: the service address is not secure, so nothing is sent there. Tell the association.
inbox-problem-bad-answer = { $name }: the service's answer could not be read. It will be asked again later.
hours-outbox-heading = Sending
hours-outbox-summary = Waiting to be sent: { $waiting }. Sent: { $sent }. Kept on this device only: { $local }.
hours-send-now = Send now
hours-sending = Sending…
hours-summary-heading = Totals
hours-period-label = Period
hours-period-12m = Last 12 months
hours-period-month = This month
hours-period-year = This year
hours-period-all = All time
hours-total = { $hours } { $n ->
    [one] hour
   *[other] hours
} in { $count } { $count ->
    [one] entry
   *[other] entries
}
hours-chart-caption = Hours per month
hours-chart-summary = Bar chart; the scale goes up to { $top } { $top ->
    [one] hour
   *[other] hours
}. The same figures are in the table below.
hours-chart-table = Show as a table
hours-col-month = Month
hours-col-hours = Hours
hours-col-organisation = Association
hours-col-category = Type of work
hours-by-organisation = Hours by association
hours-by-category = Hours by type of work
hours-milestones = Milestones
hours-milestone-reached = { $hours } { $hours ->
    [one] hour
   *[other] hours
} reached
hours-milestone-progress = { $hours } { $hours ->
    [one] hour
   *[other] hours
}: { $percent }% done
hours-entries-heading = Entries
hours-show-more = Show more ({ $n } left)
hours-state-local = Saved on this device
hours-state-waiting = Waiting to be sent
hours-state-sent = Sent
hours-state-accepted = Accepted by the association
hours-state-conflict = Conflict: the association has a different version
hours-state-rejected = Rejected
hours-conflict-explain = The association's copy of this entry says { $hours } h on { $date }. Choose which to keep.
hours-conflict-keep-theirs = Keep the association's version
hours-conflict-keep-both = Keep both (send mine as a new entry)
hours-edit = Edit
hours-delete = Delete
hours-delete-confirm = Really delete?
hours-export-heading = Export
hours-export-hint = A CSV file opens in a spreadsheet; JSON is for other programs.
hours-download-csv = Save as a CSV file
hours-download-json = Save as a JSON file
hours-share-csv = Share CSV
hours-share-json = Share JSON
hours-inboxes-heading = Sending hours to associations
hours-inboxes-intro = Some associations take hours online. Join with the code your coordinator gave you; your hours for that association are then sent automatically.
hours-inbox-joined = joined
hours-inbox-refused = the code is no longer valid; ask your coordinator for a new one
hours-inbox-leave = Stop sending
hours-join-title = Join an association's hours
hours-join-heading = Join with a code
hours-join-none = None of the associations in your regions take hours online yet. Your hours are kept on this device.
hours-join-organisation = Association
hours-join-choose = Choose an association
hours-join-code = Join code
hours-join-code-hint = For example K7QM-4XPD-92HT. Ask your coordinator.
hours-join-submit = Join
hours-join-missing-organisation = Choose the association first.
hours-join-missing-code = Type the join code from your coordinator.
hours-join-missing-both = Choose the association and type the join code from your coordinator.
hours-join-done = Joined { $name }. Your hours for it will be sent automatically.
