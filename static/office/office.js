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
