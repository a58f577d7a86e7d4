/* 政务办公 shell behaviour: the unread badge polls only while someone is using the page, and an
   htmx request that the server sent to the sign-in page (the session ended) or to the password
   change (the password expired) reloads the whole page instead of swapping that page in. */
(function () {
  "use strict";

  var ACTIVE_WINDOW_MS = 65 * 1000;
  var lastActivity = Date.now();

  function touch() {
    lastActivity = Date.now();
  }

  ["keydown", "mousedown", "mousemove", "wheel", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, touch, { capture: true, passive: true });
  });

  window.officeShell = {
    // Polling renews the session; an unattended screen must still reach the idle logout.
    recentlyActive: function () {
      return document.visibilityState === "visible" && Date.now() - lastActivity < ACTIVE_WINDOW_MS;
    },
  };

  document.addEventListener("htmx:beforeSwap", function (event) {
    var responseURL = event.detail.xhr && event.detail.xhr.responseURL;
    if (!responseURL) {
      return;
    }
    var path = new URL(responseURL).pathname;
    var data = document.body.dataset;
    if (path === data.loginUrl || path === data.passwordChangeUrl) {
      event.detail.shouldSwap = false;
      if (path !== window.location.pathname) {
        window.location.reload();
      }
    }
  });
})();

/* Pickers of several items (select[multiple].pick-many: units, reviewers): one click selects or
   deselects an item (no Ctrl needed), a box above filters the list by name, and the chosen items
   are listed under it (they may be scrolled out of sight). The keyboard works as for any select. */
(function () {
  "use strict";

  function enhance(select) {
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "form-control form-control-sm mb-1";
    filter.placeholder = "输入名称筛选";
    filter.setAttribute("aria-label", "筛选");
    select.before(filter);
    var chosen = document.createElement("div");
    chosen.className = "small mt-1 pick-many-chosen";
    chosen.setAttribute("aria-live", "polite");
    select.after(chosen);
    function show() {
      var names = Array.prototype.map.call(select.selectedOptions, function (o) {
        return o.text;
      });
      chosen.textContent = names.length ? "已选 " + names.length + " 项：" + names.join("、") : "未选择";
    }
    select.addEventListener("mousedown", function (event) {
      var option = event.target.closest("option");
      if (!option) {
        return;
      }
      event.preventDefault();
      option.selected = !option.selected;
      select.focus();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", show);
    filter.addEventListener("input", function () {
      var words = filter.value.trim();
      select.querySelectorAll("option").forEach(function (o) {
        o.hidden = Boolean(words) && o.text.indexOf(words) === -1;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[multiple].pick-many").forEach(enhance);
  });
})();
