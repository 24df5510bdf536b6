// Account form: scan the citizen's VietQR with the phone camera where the browser has a barcode detector, or take
// a pasted payload; the server parses and checks it (CRC, bank, account rules) and the form is filled for review.
(function () {
  "use strict";
  var csrf = (document.querySelector("meta[name=csrf]") || {}).content || "";
  var status = document.getElementById("scan-status");
  var button = document.getElementById("scan-qr");
  var pasted = document.getElementById("qr-payload");
  var video = document.getElementById("scan-video");
  if (!button || !pasted) return;

  function say(text) { if (status) status.textContent = " " + text; }

  function fill(payload) {
    fetch("/api/v1/vietqr/parse", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ payload: payload })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { say(result.body.message_vi ? result.body.message_vi + " / " + result.body.message_en : "Mã QR không đọc được / unreadable QR"); return; }
      document.getElementById("bank").value = result.body.bin + (result.body.bank ? " - " + result.body.bank : "");
      document.getElementById("accountNumber").value = result.body.account;
      say(result.body.accountProblem ? result.body.accountProblem : "Đã đọc mã QR: kiểm tra lại rồi ghi. / QR read: check, then record.");
    }).catch(function () { say("Mất kết nối / no connection"); });
  }

  pasted.addEventListener("change", function () { if (pasted.value.trim()) fill(pasted.value.trim()); });

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      say("Đưa mã QR vào khung hình / point the camera at the QR");
      var stop = function () { stream.getTracks().forEach(function (track) { track.stop(); }); video.hidden = true; };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) { stop(); fill(codes[0].rawValue); } else { requestAnimationFrame(tick); }
        }).catch(function () { stop(); say("Không quét được / scan failed"); });
      };
      requestAnimationFrame(tick);
    }).catch(function () { say("Không mở được máy ảnh / no camera"); });
  });
})();
