// Badge scanning on the coordinator's phone: where the browser has BarcodeDetector and a camera, a QR code read
// from the video fills the form and submits it; elsewhere the typed number works the same way.
(function () {
  const form = document.getElementById("scan-form");
  const input = document.getElementById("code");
  const box = document.getElementById("scanner");
  const video = document.getElementById("scanner-video");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then((stream) => {
      box.hidden = false;
      video.srcObject = stream;
      video.play();
      let busy = false;
      const tick = () => {
        if (busy) return;
        detector.detect(video).then((codes) => {
          if (codes.length) {
            busy = true;
            input.value = codes[0].rawValue;
            stream.getTracks().forEach((t) => t.stop());
            form.submit();
          }
        }).catch(() => {});
      };
      setInterval(tick, 400);
    })
    .catch(() => { box.hidden = true; });
})();
