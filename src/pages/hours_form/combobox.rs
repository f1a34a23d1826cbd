//! The association field: a text box with a list of the catalogue's associations that typing narrows, which still takes any name (issue 10).
//!
//! It follows the WAI-ARIA Authoring Practices "editable combobox with list
//! autocomplete": the input has `role=combobox`, `aria-expanded`,
//! `aria-controls` and `aria-activedescendant`, while focus stays in the
//! input and the arrow keys move a highlight through the `listbox`. Enter
//! picks the highlighted option, Escape closes the list (or clears the
//! field when it is closed), and a button beside the field opens the whole
//! list. Matching ignores case and diacritics (`talkoo_core::hours::pick`).
//! A browser `<datalist>` looked like an empty text box and showed nothing
//! until the volunteer typed, which is why the field was rebuilt.

use leptos::prelude::*;
use talkoo_core::hours::pick::{self, Choice};
use talkoo_core::i18n::Arg;

use crate::i18n::use_i18n;

/// Options drawn at once; a longer list asks the volunteer to type more,
/// so a catalogue with thousands of organisations stays quick.
const SHOWN: usize = 50;

/// How the list was opened: by typing, it shows what the text matches; by
/// the button or an arrow key on a field holding a picked name, every
/// choice, so the volunteer can change their mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opened {
    Closed,
    Typing,
    Browsing,
}

/// An editable combobox over `choices` (`(id, name)`). `value` is the text
/// in the field; `on_type` gets every typed change and `on_pick` a chosen
/// option. `invalid` and `described_by` go onto the input as they are.
#[component]
pub fn Combobox(
    id: &'static str,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    #[prop(into)] value: Signal<String>,
    on_type: Callback<String>,
    on_pick: Callback<Choice>,
    /// The listbox's accessible name.
    list_key: &'static str,
    /// The open button's accessible name.
    button_key: &'static str,
    /// The note under a cut-off list, with `$more` choices left out.
    more_key: &'static str,
    #[prop(into)] invalid: Signal<Option<&'static str>>,
    #[prop(into)] described_by: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list_id = format!("{id}-list");
    let option_id = move |i: usize| format!("{id}-option-{i}");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let list_ref = NodeRef::<leptos::html::Ul>::new();
    let opened = RwSignal::new(Opened::Closed);
    let active = RwSignal::new(None::<usize>);

    // What the list shows: the matches for the typed text, or every choice
    // while browsing; cut at `SHOWN`, with the count of the rest.
    let listed = Memo::new(move |_| {
        let typed = match opened.get() {
            Opened::Closed => return (Vec::new(), 0),
            Opened::Typing => value.get(),
            Opened::Browsing => String::new(),
        };
        choices.with(|all| {
            let found = pick::matching(all, &typed);
            let rest = found.len().saturating_sub(SHOWN);
            (found.into_iter().take(SHOWN).cloned().collect(), rest)
        })
    });
    let expanded = move || listed.with(|(list, _)| !list.is_empty());

    let close = move || {
        opened.set(Opened::Closed);
        active.set(None);
    };
    // Opening with the keyboard or the button browses every choice when the
    // field is empty or holds a picked name, and narrows by the text otherwise.
    let open_by_hand = move || {
        let browse = value.with_untracked(|v| {
            v.trim().is_empty() || choices.with_untracked(|c| pick::recognise(c, v).is_some())
        });
        opened.set(if browse {
            Opened::Browsing
        } else {
            Opened::Typing
        });
    };
    let choose = move |i: usize| {
        if let Some(choice) = listed.with_untracked(|(list, _)| list.get(i).cloned()) {
            on_pick.run(choice);
        }
        close();
    };
    let step = move |down: bool| {
        let count = listed.with_untracked(|(list, _)| list.len());
        if count == 0 {
            return;
        }
        active.update(|a| {
            *a = Some(match (*a, down) {
                (None, true) => 0,
                (None, false) => count - 1,
                (Some(i), true) => (i + 1) % count,
                (Some(i), false) => (i + count - 1) % count,
            });
        });
    };

    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let is_open = opened.get_untracked() != Opened::Closed;
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                if !is_open {
                    open_by_hand();
                    if ev.alt_key() {
                        return;
                    }
                }
                step(down);
            }
            "Enter" => {
                // Enter on a highlighted option picks it instead of saving
                // the form; otherwise the form submits as usual.
                if let (true, Some(i)) = (is_open, active.get_untracked()) {
                    ev.prevent_default();
                    choose(i);
                } else {
                    close();
                }
            }
            "Escape" => {
                if is_open {
                    ev.prevent_default();
                    close();
                } else if !value.with_untracked(String::is_empty) {
                    ev.prevent_default();
                    on_type.run(String::new());
                }
            }
            "Tab" => close(),
            _ => {}
        }
    };

    // Keeps the highlighted option in view inside the scrolling list; this
    // moves the page's scroll position, which is outside Leptos's reach.
    Effect::new(move |_| {
        let (Some(i), Some(list)) = (active.get(), list_ref.get()) else {
            return;
        };
        let Some(option) = document().get_element_by_id(&option_id(i)) else {
            return;
        };
        use wasm_bindgen::JsCast;
        let option = option.unchecked_into::<web_sys::HtmlElement>();
        let (top, height) = (option.offset_top(), option.offset_height());
        if top < list.scroll_top() {
            list.set_scroll_top(top);
        } else if top + height > list.scroll_top() + list.client_height() {
            list.set_scroll_top(top + height - list.client_height());
        }
    });

    let list_id_input = list_id.clone();
    let list_id_button = list_id.clone();
    view! {
        <div class="combobox">
            <div class="combobox-row">
                <input
                    id=id
                    node_ref=input_ref
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    autocapitalize="words"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-expanded=move || expanded().to_string()
                    aria-controls=list_id_input
                    aria-activedescendant=move || active.get().map(option_id)
                    aria-invalid=move || invalid.get()
                    aria-describedby=move || described_by.get()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        on_type.run(event_target_value(&ev));
                        opened.set(Opened::Typing);
                        active.set(None);
                    }
                    on:keydown=keydown
                    on:blur=move |_| close()
                />
                <button
                    type="button"
                    class="combobox-toggle"
                    tabindex="-1"
                    aria-label=move || i18n.t_now(button_key)
                    aria-controls=list_id_button
                    aria-expanded=move || expanded().to_string()
                    // Keeps focus in the field, so its blur does not close
                    // the list the click is about to open.
                    on:mousedown=move |ev| ev.prevent_default()
                    on:click=move |_| {
                        if opened.get_untracked() == Opened::Closed {
                            opened.set(Opened::Browsing);
                        } else {
                            close();
                        }
                        if let Some(input) = input_ref.get_untracked() {
                            let _ = input.focus();
                        }
                    }
                >
                    <span aria-hidden="true">"▾"</span>
                </button>
            </div>
            <div class="combobox-popup" hidden=move || !expanded()>
                <ul
                    id=list_id
                    node_ref=list_ref
                    role="listbox"
                    aria-label=move || i18n.t_now(list_key)
                    // A tap or click on an option keeps focus in the field.
                    on:mousedown=move |ev| ev.prevent_default()
                >
                    {move || listed.get().0.into_iter().enumerate().map(|(i, (_, name))| view! {
                        <li
                            id=option_id(i)
                            role="option"
                            aria-selected=move || (active.get() == Some(i)).to_string()
                            on:click=move |_| choose(i)
                        >
                            {name}
                        </li>
                    }).collect_view()}
                </ul>
                <Show when=move || { listed.with(|(_, rest)| *rest > 0) }>
                    <p class="hint">
                        {move || i18n.t_args(more_key, &[("more", Arg::Num(listed.with(|(_, rest)| *rest) as f64))])}
                    </p>
                </Show>
            </div>
        </div>
    }
}
