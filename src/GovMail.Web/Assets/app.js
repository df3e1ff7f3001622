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

  // Message body frames grow to their content (same-origin, no script of their own): the reading page's, and each of a
  // conversation's when its message is opened (a closed one has no height to measure).
  Array.prototype.forEach.call(document.querySelectorAll("iframe.message-body"), function (frame) {
    var fit = function () {
      try {
        var doc = frame.contentDocument;
        // The body's height, not the document's: that one is never less than the frame itself, so a frame would never shrink.
        if (doc && doc.body && frame.offsetParent !== null) frame.style.height = Math.max(120, doc.body.scrollHeight + 8) + "px";
      } catch (e) { /* not readable: keep the default height */ }
    };
    frame.addEventListener("load", function () {
      fit();
      setTimeout(fit, 300);
    });
    window.addEventListener("resize", fit);
    var details = frame.closest("details");
    if (details) details.addEventListener("toggle", fit);
  });

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

// Webmail: selection, autosave of drafts, address autocomplete, new mail without reload, keyboard shortcuts.
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };

  // --- Message list: select all; an action needs a selection (the row under the keyboard cursor counts).
  var wireList = function () {
    var all = byId("select-all"), form = byId("list-form");
    if (all && form) {
      all.addEventListener("change", function () {
        form.querySelectorAll("input.row-check").forEach(function (box) { box.checked = all.checked; });
      });
      form.addEventListener("submit", function (e) {
        if (form.querySelector("input.row-check:checked")) return;
        var row = document.querySelector(".message-row.cursor input.row-check");
        if (row) row.checked = true; else e.preventDefault();
      });
    }
  };
  wireList();

  // --- Drafts: saved while typing.
  var compose = byId("compose-form");
  if (compose && compose.dataset.draftUrl && window.fetch && window.FormData) {
    var status = byId("draft-status");
    var dirty = false, saving = null, timer = null, sending = false;
    var save = function () {
      timer = null;
      if (!dirty || sending) return saving || Promise.resolve();
      if (saving) { schedule(); return saving; }
      dirty = false;
      var data = new FormData(compose);
      data.delete("Attachments"); // uploads go with the message (or the Lưu nháp button), not with every autosave
      saving = fetch(compose.dataset.draftUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "X-GovMail-Autosave": "1" } })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (res) {
          if (!res.ok || !res.body.saved) throw new Error((res.body && res.body.error) || "");
          byId("draft-uid").value = res.body.uid;
          byId("attach-from").value = res.body.attachFrom;
          // The kept attachments are now the draft's own parts 1…n; the dropped ones are gone.
          var carried = byId("carried");
          if (carried) {
            var n = 0;
            carried.querySelectorAll("input[name=Keep]").forEach(function (box) {
              if (box.checked) box.value = res.body.keep[n++]; else box.closest("li").remove();
            });
          }
          if (status) { status.textContent = status.dataset.saved.replace("{0}", res.body.at); status.classList.remove("failed"); }
        })
        .catch(function (err) {
          dirty = true;
          if (status) { status.textContent = err.message || status.dataset.failed; status.classList.add("failed"); }
        })
        .then(function () { saving = null; });
      return saving;
    };
    var schedule = function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 2000);
    };
    compose.addEventListener("input", function (e) {
      if (e.target && e.target.type === "file") return;
      dirty = true;
      schedule();
    });
    compose.addEventListener("change", function (e) {
      if (e.target && e.target.name === "Keep") { dirty = true; schedule(); }
    });
    setInterval(function () { if (dirty && !timer) save(); }, 15000);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && dirty) save(); });
    compose.addEventListener("submit", function (e) {
      // A save still on its way may replace the draft the form names: send once it is done.
      if (saving) {
        e.preventDefault();
        var submitter = e.submitter;
        saving.then(function () { compose.requestSubmit(submitter); });
        return;
      }
      sending = true;
      if (timer) clearTimeout(timer);
    });
  }

  // --- Address autocomplete from the tenant's directory (name, title, unit).
  var suggestions = byId("directory-list");
  if (compose && suggestions && compose.dataset.directoryUrl && window.fetch) {
    var field = null, items = [], active = -1, pending = 0;
    var token = function (value) {
      var cut = Math.max(value.lastIndexOf(","), value.lastIndexOf(";"));
      return { head: value.slice(0, cut + 1), text: value.slice(cut + 1).trim() };
    };
    var close = function () {
      suggestions.hidden = true; items = []; active = -1;
      if (field) field.setAttribute("aria-expanded", "false");
    };
    var choose = function (entry) {
      var t = token(field.value);
      var name = entry.name && entry.name.indexOf('"') < 0 ? entry.name + " <" + entry.address + ">" : entry.address;
      field.value = (t.head ? t.head + " " : "") + name + ", ";
      close();
      field.focus();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    };
    var show = function (entries) {
      suggestions.textContent = "";
      items = entries;
      active = entries.length ? 0 : -1;
      entries.forEach(function (entry, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "directory-item" + (i === 0 ? " active" : "");
        var name = document.createElement("span"); name.className = "name"; name.textContent = entry.name;
        var address = document.createElement("span"); address.className = "address"; address.textContent = entry.address;
        var detail = document.createElement("span"); detail.className = "detail";
        detail.textContent = [entry.title, entry.unit].filter(Boolean).join(" · ");
        li.appendChild(name); li.appendChild(address); li.appendChild(detail);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(entry); });
        suggestions.appendChild(li);
      });
      if (!entries.length) { close(); return; }
      var box = field.getBoundingClientRect(), parent = compose.getBoundingClientRect();
      suggestions.style.top = (box.bottom - parent.top + 2) + "px";
      suggestions.style.left = (box.left - parent.left) + "px";
      suggestions.style.width = box.width + "px";
      suggestions.hidden = false;
      field.setAttribute("aria-expanded", "true");
    };
    var highlight = function () {
      suggestions.querySelectorAll(".directory-item").forEach(function (li, i) { li.classList.toggle("active", i === active); });
    };
    compose.querySelectorAll("input[data-directory]").forEach(function (input) {
      input.addEventListener("input", function () {
        field = input;
        var text = token(input.value).text;
        if (text.length < 2) { close(); return; }
        var mine = ++pending;
        fetch(compose.dataset.directoryUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (entries) { if (mine === pending && field === input) show(entries); })
          .catch(function () { /* no suggestions */ });
      });
      input.addEventListener("keydown", function (e) {
        if (suggestions.hidden || field !== input) return;
        if (e.key === "ArrowDown") { active = (active + 1) % items.length; highlight(); e.preventDefault(); }
        else if (e.key === "ArrowUp") { active = (active - 1 + items.length) % items.length; highlight(); e.preventDefault(); }
        else if (e.key === "Enter" || e.key === "Tab") { if (active >= 0) { choose(items[active]); e.preventDefault(); } }
        else if (e.key === "Escape") { close(); }
      });
      input.addEventListener("blur", function () { setTimeout(close, 150); });
    });
  }

  // --- New mail without reload: the server's event stream says which folders changed and the unread counts.
  var eventsUrl = document.body.dataset.events;
  var listView = byId("list-view");
  var setBadges = function (unread) {
    document.querySelectorAll(".folder[data-mailbox]").forEach(function (link) {
      var n = unread[link.dataset.mailbox] || 0;
      var badge = link.querySelector(".badge");
      if (n > 0) {
        if (!badge) { badge = document.createElement("span"); badge.className = "badge"; link.appendChild(badge); }
        badge.textContent = n;
      } else if (badge) {
        badge.remove();
      }
    });
  };
  var refreshList = function () {
    if (!listView) return;
    if (listView.querySelector("input.row-check:checked") || document.activeElement === byId("search")) {
      var toast = byId("new-mail-toast");
      if (toast) toast.hidden = false;
      return;
    }
    var before = {};
    listView.querySelectorAll(".message-row").forEach(function (row) { before[row.dataset.uid] = true; });
    var cursor = document.querySelector(".message-row.cursor");
    var cursorUid = cursor ? cursor.dataset.uid : null;
    fetch(listView.dataset.refresh, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("list-view");
        if (!fresh) return;
        listView.replaceWith(fresh);
        listView = fresh;
        fresh.querySelectorAll(".message-row").forEach(function (row) {
          if (!before[row.dataset.uid]) row.classList.add("arrived");
          if (row.dataset.uid === cursorUid) row.classList.add("cursor");
        });
        wireList();
      });
  };
  if (eventsUrl && window.EventSource) {
    var source = new EventSource(eventsUrl);
    source.addEventListener("open", function () { document.body.dataset.live = "1"; });
    source.addEventListener("mailbox", function (e) {
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      setBadges(data.unread || {});
      if (listView && (data.changed || []).some(function (c) { return String(c.mailbox) === listView.dataset.mailbox; })) refreshList();
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }
  var toast = byId("new-mail-toast");
  if (toast) toast.addEventListener("click", function () { window.location.reload(); });

  // --- Keyboard shortcuts (? shows them).
  var help = byId("shortcuts-help");
  var showHelp = function (open) { if (help) help.hidden = !open; };
  var openHelp = byId("shortcuts-open");
  if (openHelp) openHelp.addEventListener("click", function () { showHelp(true); });
  var closeHelp = byId("shortcuts-close");
  if (closeHelp) closeHelp.addEventListener("click", function () { showHelp(false); });
  if (help) help.addEventListener("click", function (e) { if (e.target === help) showHelp(false); });
  var click = function (id) { var el = byId(id); if (el) { el.click(); return true; } return false; };
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll(".message-row")); };
  var moveCursor = function (step) {
    var all = rows();
    if (!all.length) return;
    var at = all.findIndex(function (r) { return r.classList.contains("cursor"); });
    var next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    if (at >= 0) all[at].classList.remove("cursor");
    all[next].classList.add("cursor");
    all[next].scrollIntoView({ block: "nearest" });
  };
  var cursorRow = function () { return document.querySelector(".message-row.cursor"); };
  var actOnCursor = function (action) {
    var form = byId("list-form"), row = cursorRow();
    if (!form || !row) return;
    var button = form.querySelector("button[name=thao-tac][value=" + action + "]");
    if (!form.querySelector("input.row-check:checked")) row.querySelector("input.row-check").checked = true;
    if (button) form.requestSubmit(button);
  };
  var composeFor = function (param) {
    var row = cursorRow();
    if (row && listView) window.location.href = "/soan-thu?" + param + "=" + listView.dataset.mailbox + "/" + row.dataset.uid;
  };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      if (e.key === "Escape" && t.id === "search") t.blur();
      return;
    }
    if (help && !help.hidden) { if (e.key === "Escape" || e.key === "?") { showHelp(false); e.preventDefault(); } return; }
    var reading = !!byId("message-body");
    var handled = true;
    switch (e.key) {
      case "?": showHelp(true); break;
      case "j": if (reading) click("next-message"); else moveCursor(1); break;
      case "k": if (reading) click("prev-message"); else moveCursor(-1); break;
      case "o": case "Enter":
        if (reading) { handled = false; break; }
        var row = cursorRow();
        if (row) row.querySelector("a").click(); else handled = false;
        break;
      case "x": var r = cursorRow(); if (r) { var box = r.querySelector("input.row-check"); box.checked = !box.checked; } break;
      case "r": if (reading) click("reply"); else composeFor("tra-loi"); break;
      case "a": if (reading) click("reply-all"); else composeFor("tra-loi-tat-ca"); break;
      case "f": if (reading) click("forward"); else composeFor("chuyen-tiep"); break;
      case "c": window.location.href = "/soan-thu"; break;
      case "#": if (reading) click("delete"); else actOnCursor("Delete"); break;
      case "s":
        if (reading) click("flag");
        else { var c = cursorRow(); actOnCursor(c && c.classList.contains("flagged") ? "Unflag" : "Flag"); }
        break;
      case "U": if (reading) click("mark-unread"); else actOnCursor("Unread"); break;
      case "/": var s = byId("search"); if (s) s.focus(); else handled = false; break;
      case "u": if (!click("back")) handled = false; break;
      case "Escape": showHelp(false); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
})();
