// Small behaviours of the mail pages; the pages work without them.
(function () {
  "use strict";
  // Phone-sized screens: the folder list opens and closes from the menu button.
  var toggle = document.getElementById("menu-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", function () {
      var open = document.body.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // The message body frame grows to its content (it is same-origin and has no script of its own).
  var frame = document.getElementById("message-body");
  if (frame) {
    var fit = function () {
      try {
        var doc = frame.contentDocument;
        if (doc && doc.documentElement) frame.style.height = Math.max(120, doc.documentElement.scrollHeight + 8) + "px";
      } catch (e) { /* not readable: keep the default height */ }
    };
    frame.addEventListener("load", function () {
      fit();
      setTimeout(fit, 300);
    });
    window.addEventListener("resize", fit);
  }

  // Compose: show the chosen files by name and size.
  var files = document.getElementById("attachments");
  var list = document.getElementById("file-list");
  if (files && list) {
    files.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(files.files, function (f) {
        var li = document.createElement("li");
        li.textContent = f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)";
        list.appendChild(li);
      });
    });
  }

  // Compose: one click sends once.
  var form = document.getElementById("compose-form");
  if (form) {
    form.addEventListener("submit", function () {
      var send = document.getElementById("send");
      if (send) setTimeout(function () { send.disabled = true; }, 0);
    });
  }
})();
