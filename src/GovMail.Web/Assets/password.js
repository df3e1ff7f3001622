// The password policy as a live checklist: each rule ticks itself while the new password is typed. The server checks the
// same rules again (and the ones a browser cannot: common passwords, the person's name, the last passwords).
(function () {
  "use strict";
  var input = document.getElementById("new-password");
  var confirm = document.getElementById("confirm-password");
  var list = document.getElementById("password-rules");
  if (!input || !list) return;
  var special = /[^\p{L}\p{N}\p{Cc}\s]/u;
  var tests = {
    min: function (v, n) { return v.length >= n; },
    max: function (v, n) { return v.length > 0 && v.length <= n; },
    upper: function (v) { return v !== v.toLowerCase(); },
    lower: function (v) { return v !== v.toUpperCase(); },
    digit: function (v) { return /\p{N}/u.test(v); },
    special: function (v) { return special.test(v); },
    match: function (v) { return v.length > 0 && confirm && confirm.value === v; }
  };
  function update() {
    var v = input.value;
    list.querySelectorAll("li[data-rule]").forEach(function (li) {
      var test = tests[li.getAttribute("data-rule")];
      var ok = test ? test(v, parseInt(li.getAttribute("data-value") || "0", 10)) : false;
      li.classList.toggle("ok", ok);
      li.setAttribute("aria-checked", ok ? "true" : "false");
    });
  }
  list.setAttribute("role", "list");
  input.addEventListener("input", update);
  if (confirm) confirm.addEventListener("input", update);
  update();
})();
