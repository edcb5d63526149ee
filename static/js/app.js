// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (!button || !button.dataset.confirm) { return; }
  if (button.dataset.confirmed) {  // asked already; the submit waited for an autosave
    delete button.dataset.confirmed;
    return;
  }
  if (!window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// A form on its way to the server as a whole page (Enter, "Save draft") sends no more
// autosaves, and waits for one already under way (whose answer brings the new draft
// version): either would race it and could make it look stale.
var waitingSubmit = new WeakMap();
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented) { return; }
  if (form.dataset.autosaving) {
    event.preventDefault();
    waitingSubmit.set(form, event.submitter || null);
    return;
  }
  form.dataset.submitting = "true";
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (!form) { return; }
  if (form.dataset.submitting) { event.preventDefault(); return; }
  form.dataset.autosaving = "true";
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  if (!form || !form.dataset.autosaving) { return; }
  delete form.dataset.autosaving;
  if (waitingSubmit.has(form)) {
    var submitter = waitingSubmit.get(form);
    waitingSubmit.delete(form);
    // after htmx has swapped in the new draft version
    // A question the person has answered is not asked again for the same submit.
    if (submitter && submitter.dataset.confirm) { submitter.dataset.confirmed = "true"; }
    window.setTimeout(function () { form.requestSubmit(submitter); }, 50);
  }
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
  });
});
// Say a message through the live region that has been on the page since it loaded
// (a live region inserted together with its text is often not read out).
function announce(text) {
  var region = document.getElementById("announcer");
  if (!region || !text) { return; }
  region.textContent = "";
  window.setTimeout(function () { region.textContent = text.trim(); }, 100);
}
// Content swapped in by htmx: read out its [data-announce] messages.
document.addEventListener("htmx:load", function (event) {
  if (event.target === document.body) { return; }
  var found = event.target.matches("[data-announce]") ? [event.target]
    : event.target.querySelectorAll("[data-announce]");
  announce(Array.prototype.map.call(found, function (el) { return el.textContent; }).join(" "));
});
document.addEventListener("DOMContentLoaded", function () {
  // An address ending in a field's id (a new row, the field an error summary links
  // to) puts focus there; the page's message ("Draft saved.") is read out, since
  // focus skipped past it.
  var target = window.location.hash && document.getElementById(
    decodeURIComponent(window.location.hash.slice(1)));
  if (target && target.matches("input, select, textarea, button")) {
    target.focus();
    var flash = document.getElementById("flash");
    if (flash) { announce(flash.textContent); }
    return;
  }
  // Otherwise move focus to an error summary so screen readers hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
// An error summary's link to a field on this page puts focus in the field.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
  var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (field) {
    event.preventDefault();
    field.focus();
    field.scrollIntoView({block: "center"});
  }
});
// A list swapped in after "Move up" / "Move down" keeps keyboard focus on the moved item's
// button and says where it went.
document.addEventListener("htmx:load", function (event) {
  var target = event.target.querySelector && event.target.querySelector("[data-autofocus]");
  if (target) {
    target.focus();
    announce(target.dataset.autofocus);
  }
});
// The main menu stays one line: when its items do not fit, they fold behind the Menu
// button (a disclosure: Enter or Space opens it, Escape closes it and returns to the button).
(function () {
  var nav = document.querySelector(".site-nav");
  var toggle = nav && nav.querySelector(".nav-toggle");
  var list = nav && nav.querySelector(".nav-list");
  if (!toggle || !list || !list.children.length) { return; }
  function setOpen(open) {
    nav.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function fitsOnOneLine() {
    var items = list.children;
    return items[items.length - 1].offsetTop === items[0].offsetTop;
  }
  function layout() {
    var wasCollapsed = nav.classList.contains("is-collapsed");
    // Hiding the button to measure would drop its focus (a phone turned while on it).
    var focused = document.activeElement === toggle;
    nav.classList.remove("is-collapsed");
    toggle.hidden = true;
    var collapse = !fitsOnOneLine();
    nav.classList.toggle("is-collapsed", collapse);
    toggle.hidden = !collapse;
    if (!collapse || !wasCollapsed) { setOpen(false); }
    if (focused && collapse) { toggle.focus(); }
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("is-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (nav.classList.contains("is-open") && !nav.contains(event.target)) { setOpen(false); }
  });
  // Tabbing on past the last item closes the panel, so it does not cover the page.
  nav.addEventListener("focusout", function (event) {
    if (nav.classList.contains("is-open") && event.relatedTarget
        && !nav.contains(event.relatedTarget)) { setOpen(false); }
  });
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; layout(); });
  });
  layout();
})();
