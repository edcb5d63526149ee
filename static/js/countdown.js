// Countdowns ([data-countdown]) keep their days, hours and minutes up to date in place.
// Without this file the words the server wrote stay; it writes with the server's words
// (data-words), so a countdown ticks in the page's language. The time is the server's:
// the page says what time it was when it was written (data-now), so a wrong clock here
// does not move the close of an application. The text changes at most once a minute and sits in an
// aria-live="off" span, so nothing is announced as it ticks.
(function () {
  // The words come from the page (data-words, in the reader's language): each unit's
  // singular and plural, the phrase for the last minute and the language's list patterns.
  function unit(n, forms) { return forms[n === 1 ? 0 : 1].replace("%(num)d", String(n)); }
  function join(items, patterns) {
    if (items.length === 1) { return items[0]; }
    function fill(pattern, a, b) { return pattern.replace("{0}", a).replace("{1}", b); }
    if (items.length === 2) { return fill(patterns["2"], items[0], items[1]); }
    var result = fill(patterns.end, items[items.length - 2], items[items.length - 1]);
    for (var i = items.length - 3; i > 0; i--) { result = fill(patterns.middle, items[i], result); }
    return fill(patterns.start, items[0], result);
  }
  function words(seconds, phrases) {
    if (seconds <= 0) { return null; }
    if (seconds < 60) { return phrases.less; }
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) { parts.push(unit(days, phrases.day)); }
    if (days || hours) { parts.push(unit(hours, phrases.hour)); }
    parts.push(unit(minutes, phrases.minute));
    return join(parts, phrases.list);
  }
  function update() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var target = Date.parse(el.dataset.countdown);
      var skew = el.dataset.skew ? Number(el.dataset.skew) : 0;
      var value = el.querySelector(".countdown-value");
      var phrases;
      try { phrases = JSON.parse(el.dataset.words); } catch (e) { return; }
      if (isNaN(target) || !value || !phrases) { return; }
      var text = words(Math.floor((target - (Date.now() + skew)) / 1000), phrases)
        || el.dataset.ended;
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
