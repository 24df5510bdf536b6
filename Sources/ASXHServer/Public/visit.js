// asxh visit page: shows the survey's questions as the answers call for them, keeps each saved visit in a queue
// on the phone (localStorage), and sends the queue whenever there is a connection. Every visit carries a key
// made here, so a visit sent twice (a lost answer, a second tab) is stored once.
(function () {
  "use strict";
  var QUEUE = "asxh.visitQueue", REFUSED = "asxh.visitRefused";
  var csrf = (document.querySelector("meta[name=csrf]") || {}).content || "";
  var vi = document.documentElement.lang !== "en";
  function t(v, e) { return vi ? v : e; }
  function read(key) { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function write(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function key() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function say(text, isError) {
    var status = document.getElementById("status");
    if (!status) return;
    status.textContent = text;
    status.className = isError ? "error" : (text ? "ok" : "");
  }
  function showQueue() {
    var box = document.getElementById("queue");
    if (!box) return;
    var pending = read(QUEUE), refused = read(REFUSED);
    box.textContent = "";
    if (pending.length) {
      var p = document.createElement("p");
      p.id = "pending";
      p.textContent = t("Đang chờ gửi: " + pending.length + " lần đến nhà (sẽ tự gửi khi có mạng).",
                        "Waiting to send: " + pending.length + " visit(s) (sent when the connection returns).");
      box.appendChild(p);
    }
    refused.forEach(function (item) {
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = item.name + ": " + item.message;
      box.appendChild(p);
    });
  }

  var sending = false;
  function sync() {
    if (sending) return Promise.resolve();
    var queue = read(QUEUE);
    if (!queue.length) { showQueue(); return Promise.resolve(); }
    sending = true;
    var item = queue[0];
    return fetch("/api/v1/visits", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(item.submission)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var rest = read(QUEUE).filter(function (q) { return q.submission.clientKey !== item.submission.clientKey; });
        if (response.ok) {
          write(QUEUE, rest);
          if (item.submission.caseID === currentCase()) {
            var outcome = body.outcome === "revisit" ? t("Hẹn lại", "Revisit") : body.outcome;
            say(t("Đã lưu: ", "Saved: ") + outcome + (body.status === "conflict" ? t(" (khác kết quả trước, chờ tổ trưởng)", " (differs from an earlier visit; the leader decides)") : ""), false);
            var result = document.getElementById("result");
            if (result && body.caseClass) result.textContent = body.caseClass;
          }
        } else if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403 && response.status !== 408 && response.status !== 429) {
          // Refused as sent: it will never pass by retrying, so the member must redo it.
          write(QUEUE, rest);
          var message = (vi ? body.message_vi : body.message_en) || ("HTTP " + response.status);
          if (item.submission.caseID === currentCase()) say(message, true);
          else { var refused = read(REFUSED); refused.push({ name: item.name, message: message }); write(REFUSED, refused); }
        } else {
          throw new Error("retry later");
        }
      });
    }).then(function () { sending = false; showQueue(); return sync(); },
            function () { sending = false; showQueue(); say(t("Chưa có mạng: kết quả đã lưu trên máy và sẽ tự gửi.", "Offline: the visit is kept on this phone and will be sent."), false); });
  }

  function currentCase() { var form = document.getElementById("survey"); return form ? form.getAttribute("data-case") : null; }

  var form = document.getElementById("survey");
  if (form) setUpSurvey(form);
  window.addEventListener("online", sync);
  setInterval(sync, 15000);
  showQueue();
  sync();

  function setUpSurvey(form) {
    var position = null;
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (p) { position = p.coords; }, function () {}, { timeout: 10000, maximumAge: 300000 });
    }
    function answers() {
      var values = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-q]"), function (fieldset) {
        if (fieldset.hidden) return;
        var name = fieldset.getAttribute("data-q");
        Array.prototype.forEach.call(fieldset.querySelectorAll("input"), function (input) {
          if (input.type === "radio") { if (input.checked) values[name] = input.value; }
          else if (input.value.trim() !== "") values[name] = input.value.trim();
        });
      });
      return values;
    }
    function refresh() {
      // In page order, so a question hidden by an earlier answer hides the ones that depend on it.
      var shown = {};
      var values = {};
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-q]"), function (fieldset) {
        var name = fieldset.getAttribute("data-q");
        var when = JSON.parse(fieldset.getAttribute("data-when") || "[]");
        var asked = when.every(function (c) { return shown[c.question] && c.isOneOf.indexOf(values[c.question]) >= 0; });
        fieldset.hidden = !asked;
        shown[name] = asked;
        if (asked) {
          var checked = fieldset.querySelector("input:checked");
          var input = fieldset.querySelector("input:not([type=radio])");
          values[name] = checked ? checked.value : (input ? input.value.trim() : undefined);
        }
      });
      var files = form.querySelector("fieldset[data-files]");
      if (files) files.hidden = !shown.found || values.found !== "present";
    }
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();

    var canvas = document.getElementById("signature"), signed = false;
    if (canvas) {
      var ctx = canvas.getContext("2d"), drawing = false;
      ctx.lineWidth = 2; ctx.lineCap = "round";
      function point(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
      canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); });
      canvas.addEventListener("pointermove", function (e) { if (!drawing) return; var p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); signed = true; });
      window.addEventListener("pointerup", function () { drawing = false; });
      document.getElementById("clear-signature").addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); signed = false; });
    }

    // Photos are shrunk to 1600 px JPEG before they are queued: a phone's 5 MB photo would not fit the queue.
    function shrink(file) {
      return new Promise(function (resolve, reject) {
        var image = new Image(), url = URL.createObjectURL(file);
        image.onload = function () {
          var scale = Math.min(1, 1600 / Math.max(image.width, image.height));
          var c = document.createElement("canvas");
          c.width = Math.round(image.width * scale); c.height = Math.round(image.height * scale);
          c.getContext("2d").drawImage(image, 0, 0, c.width, c.height);
          URL.revokeObjectURL(url);
          resolve(c.toDataURL("image/jpeg", 0.8).split(",")[1]);
        };
        image.onerror = function () { reject(new Error(t("Không đọc được ảnh.", "The photo cannot be read."))); };
        image.src = url;
      });
    }
    function files() {
      var kinds = ["confirmation", "authorisation", "document"];
      var jobs = kinds.map(function (kind) {
        var input = form.querySelector("input[name=file-" + kind + "]");
        if (!input || !input.files.length || input.closest("fieldset").hidden) return Promise.resolve(null);
        return shrink(input.files[0]).then(function (data) { return { kind: kind, data: data }; });
      });
      return Promise.all(jobs).then(function (list) {
        list = list.filter(Boolean);
        if (signed && !list.some(function (f) { return f.kind === "confirmation"; })) {
          list.push({ kind: "confirmation", data: canvas.toDataURL("image/png").split(",")[1] });
        }
        return list;
      });
    }

    // A desk correction goes straight to the server as a proposal (it needs a connection and a second officer).
    function propose() {
      var reason = (document.getElementById("desk-reason") || {}).value || "";
      say(t("Đang gửi đề nghị…", "Sending the proposal…"), false);
      fetch("/api/v1/class-changes", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ caseID: form.getAttribute("data-case"), questionnaireVersion: parseInt(form.getAttribute("data-version"), 10),
                               answers: answers(), reason: reason })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) say(t("Đã gửi đề nghị đổi sang " + body.toClass + ": chờ cán bộ thứ hai duyệt.", "Proposal to change to " + body.toClass + " sent: a second officer decides."), false);
          else say((vi ? body.message_vi : body.message_en) || t("Đề nghị bị từ chối.", "The proposal was refused."), true);
        });
      }, function () { say(t("Chưa có mạng: đề nghị sửa cần kết nối.", "Offline: a correction needs a connection."), true); });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var desk = document.getElementById("desk-on");
      if (desk && desk.checked) { propose(); return; }
      files().then(function (list) {
        var submission = {
          clientKey: key(), caseID: form.getAttribute("data-case"),
          questionnaireVersion: parseInt(form.getAttribute("data-version"), 10),
          answers: answers(), visitedAt: new Date().toISOString(), files: list
        };
        if (position) { submission.latitude = position.latitude; submission.longitude = position.longitude; }
        var queue = read(QUEUE);
        queue.push({ name: document.querySelector("h1").textContent, submission: submission });
        try { write(QUEUE, queue); } catch (err) { say(t("Bộ nhớ máy đầy: hãy gửi các lần đến nhà đang chờ trước.", "The phone's storage is full: send the waiting visits first."), true); return; }
        say(t("Đang gửi…", "Sending…"), false);
        showQueue();
        sync();
      }, function (err) { say(err.message, true); });
    });
  }
})();
