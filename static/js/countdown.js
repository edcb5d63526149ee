// Countdowns ([data-countdown]) keep their days, hours and minutes up to date in place.
// Without this file the words the server wrote stay. The time is the server's: the page
// says what time it was when it was written (data-now), so a wrong clock here does not
// move the close of an application. The text changes at most once a minute and sits in an
// aria-live="off" span, so nothing is announced as it ticks.
(function () {
  function unit(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function words(seconds) {
    if (seconds <= 0) { return null; }
    if (seconds < 60) { return "less than a minute"; }
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) { parts.push(unit(days, "day")); }
    if (days || hours) { parts.push(unit(hours, "hour")); }
    parts.push(unit(minutes, "minute"));
    return parts.length === 1 ? parts[0]
      : parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1];
  }
  function update() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var target = Date.parse(el.dataset.countdown);
      var skew = el.dataset.skew ? Number(el.dataset.skew) : 0;
      var value = el.querySelector(".countdown-value");
      if (isNaN(target) || !value) { return; }
      var text = words(Math.floor((target - (Date.now() + skew)) / 1000)) || el.dataset.ended;
      if (value.textContent !== text) { value.textContent = text; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var serverNow = Date.parse(el.dataset.now);
      if (!isNaN(serverNow)) { el.dataset.skew = String(serverNow - Date.now()); }
    });
    update();
    window.setInterval(update, 15000);
  });
  document.addEventListener("htmx:load", update);
})();
