//! Entry point: mounts the app in the browser, with the pages kept out of the first-load shell.

#[cfg(target_arch = "wasm32")]
fn main() {
    talkoo::mount(|page| Box::pin(pages(page)));
}

/// The pages the first screen does not show (`src/lazy_pages.rs`): a
/// card's page, Settings, events, places and organisations, drawn from a
/// module of their own: `talkoo-split` moves everything only this function
/// reaches into it after the build, and the first call loads it.
/// `fallible` makes a failed load an error the page shows; without it the
/// load's `expect` would abort the whole app. It is here, not in the
/// library, because its marker is an export that every binary linking the
/// library would keep.
#[cfg(target_arch = "wasm32")]
#[leptos::wasm_split::wasm_split(pages, wasm_split_path = ::leptos::wasm_split, fallible)]
fn pages(page: talkoo::LazyPage) -> Result<leptos::prelude::AnyView, talkoo::NotLoaded> {
    Ok(talkoo::draw_page(page))
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Talkoo runs in the browser: build and serve it with `make run`.");
    std::process::exit(2);
}
