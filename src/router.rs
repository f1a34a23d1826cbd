//! The shell's router: the address bar as a signal, links followed without reloading, and the query and the route's id for the pages; our own instead of `leptos_router`, whose generic matching and views cost every phone 38.6 KB brotli of the first-load shell (issue 13: 420,784 → 382,149 B).
//!
//! What a route draws is decided by `talkoo_core::nav::Route`, tested
//! natively; this module only connects it to the browser's history. It
//! follows `leptos_router`'s behaviour where the app relied on it: a click
//! on a same-origin link inside the app's base becomes a history entry
//! (unless it opens elsewhere, downloads or a modifier key asks the
//! browser for a new tab), Back and Forward redraw the page, and a
//! navigation scrolls to the top or to the fragment's element.

use leptos::ev;
use leptos::prelude::*;
use talkoo_core::nav::Route;
use wasm_bindgen::JsCast;

use crate::pages::common::app_route;
use crate::pwa::base_path;

/// The address bar: the path (with the app's base) and the query (without
/// its `?`), and what the pages read of it, derived once for all of them.
#[derive(Debug, Clone, Copy)]
struct RouterContext {
    url: RwSignal<(String, String)>,
    location: Location,
    query: Memo<ParamsMap>,
    route: Memo<Route>,
    route_id: Memo<Option<String>>,
}

/// The address as the pages read it.
#[derive(Debug, Clone, Copy)]
pub struct Location {
    /// The path, with the app's base (see `app_route`).
    pub pathname: Memo<String>,
    /// The query without its `?`; empty when there is none.
    pub search: Memo<String>,
}

/// How [`use_navigate`]'s function changes the address.
#[derive(Debug, Clone, Copy)]
pub struct NavigateOptions {
    /// Replaces the current history entry instead of adding one.
    pub replace: bool,
    /// Scrolls to the top (or the fragment's element) afterwards.
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// A query's parameters in their order, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// The first value of `key`, borrowed.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter as `(key, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Reads the address bar.
fn current_url() -> (String, String) {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let search = location.search().unwrap_or_default();
    let search = search.strip_prefix('?').unwrap_or(&search).to_owned();
    (path, search)
}

/// Starts the router for the page's lifetime: reads the address, follows
/// Back and Forward, and catches clicks on the app's links.
pub fn provide_router() {
    let url = RwSignal::new(current_url());
    let location = Location {
        pathname: Memo::new(move |_| url.with(|(path, _)| path.clone())),
        search: Memo::new(move |_| url.with(|(_, search)| search.clone())),
    };
    let route = Memo::new(move |_| location.pathname.with(|path| Route::of(app_route(path))));
    provide_context(RouterContext {
        url,
        location,
        query: Memo::new(move |_| location.search.with(|search| parse_query(search))),
        route,
        route_id: Memo::new(move |_| route.with(|r| r.id().map(str::to_owned))),
    });
    // The listeners live as long as the page: the app is never unmounted.
    let _ = window_event_listener(ev::popstate, move |_| url.set(current_url()));
    let navigate = use_navigate();
    let _ = window_event_listener(ev::click, move |ev| {
        if let Some(href) = followed_link(&ev) {
            ev.prevent_default();
            navigate(&href, NavigateOptions::default());
        }
    });
}

/// The address (path, query and fragment) of the app link a click
/// follows, or `None` when the browser should handle the click itself.
fn followed_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let anchor = target
        .closest("a")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let opens_elsewhere = !anchor.target().is_empty()
        || anchor.has_attribute("download")
        || anchor.get_attribute("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("external"))
        })
        || anchor.get_attribute("href").is_none_or(|h| h.is_empty());
    if opens_elsewhere {
        return None;
    }
    // The anchor's properties are the resolved address, whatever the
    // attribute's form.
    let location = window().location();
    if anchor.origin() != location.origin().ok()? {
        return None;
    }
    let path = anchor.pathname();
    let base = base_path();
    if !(path == base || path.starts_with(&format!("{base}/"))) {
        return None;
    }
    let search = anchor.search();
    let hash = anchor.hash();
    // A fragment on the page already shown is the browser's to follow.
    if !hash.is_empty() && location.pathname().ok()? == path && location.search().ok()? == search {
        return None;
    }
    Some(format!("{path}{search}{hash}"))
}

/// The address the pages read, tracked.
pub fn use_location() -> Location {
    expect_context::<RouterContext>().location
}

/// Goes to `href` (an address with the app's base: `app_href`, a query,
/// a fragment), drawing its page without reloading.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let url = expect_context::<RouterContext>().url;
    move |href: &str, options: NavigateOptions| {
        let window = window();
        let Ok(history) = window.history() else {
            return;
        };
        let here = window.location().href().unwrap_or_default();
        let next = web_sys::Url::new_with_base(href, &here).ok();
        // Going to the address already shown adds nothing to the history.
        let replace = options.replace || next.as_ref().is_some_and(|next| next.href() == here);
        let done = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
        if done.is_err() {
            // An address the history refuses (another origin) is loaded.
            let _ = window.location().set_href(href);
            return;
        }
        url.set(current_url());
        let hash = next.map(|next| next.hash()).unwrap_or_default();
        if !hash.is_empty() || options.scroll {
            // The fragment's element is on the new page, drawn by the time
            // the next frame is painted.
            request_animation_frame(move || scroll_to(&hash, options.scroll));
        }
    }
}

/// Scrolls to the element the address's fragment names, if there is one
/// now: for a page drawn some time after its navigation, once its module
/// arrived (src/lazy_pages.rs), when the navigation's own scroll found
/// nothing to scroll to.
pub fn scroll_to_fragment() {
    let hash = window().location().hash().unwrap_or_default();
    if !hash.is_empty() {
        scroll_to(&hash, false);
    }
}

/// Scrolls the fragment's element into view, or else to the top when
/// `top` is set.
fn scroll_to(hash: &str, top: bool) {
    let id = hash.strip_prefix('#').unwrap_or(hash);
    let id = js_sys::decode_uri_component(id)
        .ok()
        .and_then(|id| id.as_string())
        .unwrap_or_else(|| id.to_owned());
    if let Some(el) = (!id.is_empty())
        .then(|| document().get_element_by_id(&id))
        .flatten()
    {
        el.scroll_into_view();
    } else if top {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The query's parameters, tracked.
pub fn use_query_map() -> Memo<ParamsMap> {
    expect_context::<RouterContext>().query
}

/// Decodes a query as the browser does (`+` is a space).
fn parse_query(search: &str) -> ParamsMap {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return ParamsMap::default();
    };
    let mut pairs = Vec::new();
    for entry in params.entries() {
        let Ok(entry) = entry else { continue };
        let entry: js_sys::Array = entry.unchecked_into();
        if let (Some(k), Some(v)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
            pairs.push((k, v));
        }
    }
    ParamsMap(pairs)
}

/// A query string from `pairs`, with its `?`, or empty for none; keys and
/// values are encoded as URI components.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(&String::from(js_sys::encode_uri_component(k.as_ref())));
        out.push('=');
        out.push_str(&String::from(js_sys::encode_uri_component(v.as_ref())));
    }
    out
}

/// The route the address draws, tracked.
pub fn use_route() -> Memo<Route> {
    expect_context::<RouterContext>().route
}

/// The `id` of a card's, a place's or an event's address, tracked.
pub fn use_route_id() -> Memo<Option<String>> {
    expect_context::<RouterContext>().route_id
}
