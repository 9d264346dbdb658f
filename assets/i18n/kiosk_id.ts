<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AgencyScreen</name>
    <message>
        <source>Which agency do you need?</source>
        <extracomment>The tile of an agency none of whose services can be taken now: grey (white text 5.4:1), with the reason.</extracomment>
        <translation>Instansi mana yang Anda tuju?</translation>
    </message>
    <message>
        <source>Touch one to see its services.</source>
        <translation>Sentuh salah satu untuk melihat layanannya.</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>open</source>
        <translation>buka</translation>
    </message>
    <message>
        <source>closed, opens {when}</source>
        <translation>tutup, buka {when}</translation>
    </message>
    <message>
        <source>full today, opens {when}</source>
        <translation>penuh hari ini, buka {when}</translation>
    </message>
    <message>
        <source>needs the central link</source>
        <translation>perlu koneksi ke sistem pusat</translation>
    </message>
    <message>
        <source>paused by a supervisor</source>
        <translation>dihentikan sementara oleh supervisor</translation>
    </message>
    <message>
        <source>Nothing matched &apos;{text}&apos;. Try other words, or &apos;kiosk catalog&apos; for every service.</source>
        <translation>Tidak ada yang cocok dengan &apos;{text}&apos;. Coba kata lain, atau &apos;kiosk catalog&apos; untuk semua layanan.</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <source>The printer is not working right now</source>
        <extracomment>The priority row was touched: open the priority chooser.</extracomment>
        <translation>Printer sedang tidak berfungsi</translation>
    </message>
    <message>
        <source>Your number will be shown on the screen: you can take a photo of it or write it down.</source>
        <translation>Nomor Anda akan ditampilkan di layar: Anda dapat memotretnya atau mencatatnya.</translation>
    </message>
    <message>
        <source>Take a queue number for:</source>
        <translation>Ambil nomor antrean untuk:</translation>
    </message>
    <message>
        <source>Estimated wait: {wait}</source>
        <translation>Perkiraan tunggu: {wait}</translation>
    </message>
    <message>
        <source>Yes, print my number</source>
        <translation>Ya, cetak nomor saya</translation>
    </message>
    <message>
        <source>Yes, show my number</source>
        <translation>Ya, tampilkan nomor saya</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Tidak, kembali</translation>
    </message>
    <message>
        <source>Identity: NIK {nik}</source>
        <translation>Identitas: NIK {nik}</translation>
    </message>
    <message>
        <source>Identity: face recognised</source>
        <translation>Identitas: wajah dikenali</translation>
    </message>
    <message>
        <source>Identity: QR code verified</source>
        <translation>Identitas: kode QR terverifikasi</translation>
    </message>
    <message>
        <source>Your face is saved for next time.</source>
        <translation>Wajah Anda tersimpan untuk kunjungan berikutnya.</translation>
    </message>
    <message>
        <source>I am entitled to priority</source>
        <translation>Saya berhak atas antrean prioritas</translation>
    </message>
    <message>
        <source>Priority queue: {kind}</source>
        <translation>Antrean prioritas: {kind}</translation>
    </message>
    <message>
        <source>Touch to change</source>
        <translation>Sentuh untuk mengubah</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <source>Save your face for your next visit?</source>
        <extracomment>(heading, words) of each part of what the visitor agrees to.</extracomment>
        <translation>Simpan wajah Anda untuk kunjungan berikutnya?</translation>
    </message>
    <message>
        <source>What we keep</source>
        <translation>Apa yang kami simpan</translation>
    </message>
    <message>
        <source>A face template: numbers computed from your face, not a photo. It is kept encrypted on this kiosk; the MPP central system is told only that you enrolled, not the template.</source>
        <translation>Templat wajah: angka yang dihitung dari wajah Anda, bukan foto. Templat ini disimpan terenkripsi di kios ini; sistem pusat MPP hanya diberi tahu bahwa Anda mendaftar, bukan templatnya.</translation>
    </message>
    <message>
        <source>What for</source>
        <translation>Untuk apa</translation>
    </message>
    <message>
        <source>To recognise you at your next visit, so you do not need the QR code.</source>
        <translation>Untuk mengenali Anda pada kunjungan berikutnya, sehingga Anda tidak memerlukan kode QR.</translation>
    </message>
    <message>
        <source>Your choice</source>
        <translation>Pilihan Anda</translation>
    </message>
    <message>
        <source>Saving your face is optional. You get your queue number either way.</source>
        <translation>Menyimpan wajah tidak wajib. Anda tetap mendapat nomor antrean, apa pun pilihan Anda.</translation>
    </message>
    <message>
        <source>Changing your mind</source>
        <translation>Jika berubah pikiran</translation>
    </message>
    <message>
        <source>Ask a supervisor at the information desk to delete it, at any time.</source>
        <translation>Minta supervisor di meja informasi untuk menghapusnya, kapan saja.</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>Dasar hukum</translation>
    </message>
    <message>
        <source>UU PDP No. 27/2022: biometric data is specific personal data. It is kept only with your explicit consent.</source>
        <translation>UU PDP No. 27/2022: data biometrik adalah data pribadi yang bersifat spesifik. Data ini hanya disimpan dengan persetujuan tegas dari Anda.</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>Tidak, terima kasih</translation>
    </message>
    <message>
        <source>Yes, save my face</source>
        <translation>Ya, simpan wajah saya</translation>
    </message>
</context>
<context>
    <name>Credential</name>
    <message>
        <source>Your code is valid.</source>
        <extracomment>Input longer than this (characters or bytes) is refused before any decoding. Clocks of kiosks and central drift: not-before and expiry get this much grace. The demo hall&apos;s public key (DEMO ONLY: its private key is in central/demo.py, published in this repository). `kiosk --demo` trusts it with no set-up; a kiosk without --demo never does. What the visitor is told for each reason code (translated through the &quot;Credential&quot; context).</extracomment>
        <translation>Kode Anda sah.</translation>
    </message>
    <message>
        <source>This code cannot be read. Please show your MPP code or use NIK.</source>
        <translation>Kode ini tidak dapat dibaca. Silakan tunjukkan kode MPP Anda atau gunakan NIK.</translation>
    </message>
    <message>
        <source>This code was not issued for this hall. Please ask the officer at the information desk.</source>
        <translation>Kode ini tidak diterbitkan untuk MPP ini. Silakan tanyakan kepada petugas di meja informasi.</translation>
    </message>
    <message>
        <source>This code is no longer accepted. Please open the MPP app again for a new code.</source>
        <translation>Kode ini tidak berlaku lagi. Silakan buka kembali aplikasi MPP untuk kode baru.</translation>
    </message>
    <message>
        <source>This code is not genuine. Please ask the officer at the information desk.</source>
        <translation>Kode ini tidak asli. Silakan tanyakan kepada petugas di meja informasi.</translation>
    </message>
    <message>
        <source>This code is not for this step. Please show the right code.</source>
        <translation>Kode ini bukan untuk langkah ini. Silakan tunjukkan kode yang sesuai.</translation>
    </message>
    <message>
        <source>This code was cancelled. Please ask the officer at the information desk.</source>
        <translation>Kode ini telah dibatalkan. Silakan tanyakan kepada petugas di meja informasi.</translation>
    </message>
    <message>
        <source>This code is not valid yet. Please come back at the time of your booking.</source>
        <translation>Kode ini belum berlaku. Silakan datang kembali pada waktu pemesanan Anda.</translation>
    </message>
    <message>
        <source>This code has expired. Please open the MPP app again for a new code.</source>
        <translation>Kode ini sudah kedaluwarsa. Silakan buka kembali aplikasi MPP untuk kode baru.</translation>
    </message>
    <message>
        <source>This code was used already. Please ask the officer at the information desk.</source>
        <translation>Kode ini sudah digunakan. Silakan tanyakan kepada petugas di meja informasi.</translation>
    </message>
</context>
<context>
    <name>DetailScreen</name>
    <message>
        <source>Take a queue number</source>
        <translation>Ambil nomor antrean</translation>
    </message>
    <message>
        <source>Have these ready</source>
        <translation>Siapkan dokumen ini</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>Checking the queue…</source>
        <translation>Memeriksa antrean…</translation>
    </message>
    <message>
        <source>People waiting</source>
        <translation>Orang menunggu</translation>
    </message>
    <message>
        <source>Estimated wait</source>
        <translation>Perkiraan tunggu</translation>
    </message>
    <message>
        <source>Numbers left today</source>
        <translation>Sisa nomor hari ini</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Loket</translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <source>OK</source>
        <extracomment>How many of the log&apos;s last lines the screen shows.</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Peringatan</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Galat</translation>
    </message>
    <message>
        <source>Absent</source>
        <translation>Tidak ada</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Pemindai</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Suara</translation>
    </message>
    <message>
        <source>Central service</source>
        <extracomment>kiosk/diag.py check names we know; any other is shown as it is named.</extracomment>
        <translation>Layanan pusat</translation>
    </message>
    <message>
        <source>Sync backlog</source>
        <translation>Antrean sinkronisasi</translation>
    </message>
    <message>
        <source>Disk free</source>
        <translation>Sisa disk</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Basis data</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versi</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
</context>
<context>
    <name>DiagnosticsScreen</name>
    <message>
        <source>Technician diagnostics</source>
        <translation>Diagnostik teknisi</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>No camera configured</source>
        <translation>Tidak ada kamera yang diatur</translation>
    </message>
    <message>
        <source>Scan test</source>
        <translation>Uji pemindai</translation>
    </message>
    <message>
        <source>Scan a code to test the scanner.</source>
        <translation>Pindai sebuah kode untuk menguji pemindai.</translation>
    </message>
    <message>
        <source>Symbology: {symbology} · source: {source}</source>
        <translation>Simbologi: {symbology} · sumber: {source}</translation>
    </message>
    <message>
        <source>Run the checks again</source>
        <translation>Jalankan pemeriksaan lagi</translation>
    </message>
    <message>
        <source>Check the store</source>
        <translation>Periksa basis data</translation>
    </message>
    <message>
        <source>Print test page</source>
        <translation>Cetak halaman uji</translation>
    </message>
    <message>
        <source>Export diagnostics</source>
        <translation>Ekspor diagnostik</translation>
    </message>
    <message>
        <source>Reprint last ticket</source>
        <translation>Cetak ulang tiket terakhir</translation>
    </message>
    <message>
        <source>Camera: {fps} frames per second</source>
        <translation>Kamera: {fps} bingkai per detik</translation>
    </message>
    <message>
        <source>Checks done</source>
        <translation>Pemeriksaan selesai</translation>
    </message>
    <message>
        <source>Checks done: a configured device has an error</source>
        <translation>Pemeriksaan selesai: ada perangkat yang galat</translation>
    </message>
    <message>
        <source>The store is sound</source>
        <translation>Basis data utuh</translation>
    </message>
    <message>
        <source>The store is damaged</source>
        <translation>Basis data rusak</translation>
    </message>
    <message>
        <source>Test page printed</source>
        <translation>Halaman uji tercetak</translation>
    </message>
    <message>
        <source>Test page not printed</source>
        <translation>Halaman uji tidak tercetak</translation>
    </message>
    <message>
        <source>Diagnostics exported</source>
        <translation>Diagnostik diekspor</translation>
    </message>
    <message>
        <source>Diagnostics not exported</source>
        <translation>Diagnostik tidak diekspor</translation>
    </message>
    <message>
        <source>Last ticket reprinted</source>
        <translation>Tiket terakhir dicetak ulang</translation>
    </message>
    <message>
        <source>Last ticket not reprinted</source>
        <translation>Tiket terakhir tidak dicetak ulang</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Sedang berjalan…</translation>
    </message>
    <message>
        <source>Devices and checks</source>
        <translation>Perangkat dan pemeriksaan</translation>
    </message>
    <message>
        <source>Running the checks…</source>
        <translation>Menjalankan pemeriksaan…</translation>
    </message>
    <message>
        <source>No report yet.</source>
        <translation>Belum ada laporan.</translation>
    </message>
    <message>
        <source>End of the log</source>
        <translation>Akhir log</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>out of paper</source>
        <translation>kertas habis</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>penutup terbuka</translation>
    </message>
    <message>
        <source>printer offline</source>
        <translation>printer tidak aktif</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>tidak terhubung</translation>
    </message>
    <message>
        <source>connection lost during printing</source>
        <translation>koneksi terputus saat mencetak</translation>
    </message>
    <message>
        <source>not answering status requests</source>
        <translation>tidak menjawab permintaan status</translation>
    </message>
    <message>
        <source>unreadable status reply</source>
        <translation>balasan status tidak terbaca</translation>
    </message>
    <message>
        <source>paper near end</source>
        <extracomment>Not a fault: `health()` reports it as a WARNING so staff bring a new roll in time.</extracomment>
        <translation>kertas hampir habis</translation>
    </message>
    <message>
        <source>could not send the ticket</source>
        <translation>tiket gagal dikirim</translation>
    </message>
    <message>
        <source>no printer configured</source>
        <translation>printer belum diatur</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Terjadi kendala.</translation>
    </message>
    <message>
        <source>{file}: {key}: {problem}</source>
        <translation>{file}: {key}: {problem}</translation>
    </message>
    <message>
        <source>Unknown service code: {service_code}</source>
        <translation>Kode layanan tidak dikenal: {service_code}</translation>
    </message>
    <message>
        <source>{service} is full for today ({quota} tickets). It opens again on {opens_at}.</source>
        <translation>Kuota {service} hari ini sudah penuh ({quota} tiket). Dibuka lagi {opens_at}.</translation>
    </message>
    <message>
        <source>This kiosk has no more numbers for {service} today: its share is used up and the central system has not sent more (the link may be down). Please use another kiosk or ask at the information desk.</source>
        <translation>Kiosk ini tidak punya nomor lagi untuk {service} hari ini: jatahnya sudah habis dan sistem pusat belum mengirim tambahan (sambungan mungkin terputus). Silakan gunakan kiosk lain atau tanyakan ke meja informasi.</translation>
    </message>
    <message>
        <source>{service} is closed now. It opens on {opens_at}.</source>
        <translation>{service} sedang tutup. Buka {opens_at}.</translation>
    </message>
    <message>
        <source>{service} needs the link to the central system, which is down now. Please ask at the information desk.</source>
        <translation>{service} memerlukan koneksi ke sistem pusat, yang sedang terputus. Silakan bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>{service} is paused for now. Please ask at the information desk or try again later.</source>
        <translation>{service} sementara dihentikan. Silakan tanyakan kepada petugas di meja informasi atau coba lagi nanti.</translation>
    </message>
    <message>
        <source>This kiosk is out of service for now. Please use another kiosk or ask at the information desk.</source>
        <translation>Anjungan ini sementara tidak melayani. Silakan gunakan anjungan lain atau tanyakan kepada petugas di meja informasi.</translation>
    </message>
    <message>
        <source>This QR code has already been used for a queue number. Please ask at the information desk.</source>
        <translation>Kode QR ini sudah dipakai untuk nomor antrean. Silakan bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>No more ticket numbers today for letter {prefix}.</source>
        <translation>Nomor antrean huruf {prefix} hari ini sudah habis.</translation>
    </message>
    <message>
        <source>The local database failed: {reason}</source>
        <translation>Basis data lokal gagal: {reason}</translation>
    </message>
    <message>
        <source>The local database {path} is damaged ({detail}). No tickets are issued until a technician checks it (&apos;kiosk store check&apos;); the file is left as it is for recovery.</source>
        <translation>Basis data lokal {path} rusak ({detail}). Tidak ada nomor antrean yang diterbitkan sampai teknisi memeriksanya (&apos;kiosk store check&apos;); berkas dibiarkan apa adanya untuk pemulihan.</translation>
    </message>
    <message>
        <source>The local database {path} was written by a newer kiosk version (schema {found}; this version knows up to {known}). Update the kiosk software; the file was not changed.</source>
        <translation>Basis data lokal {path} ditulis oleh versi kios yang lebih baru (skema {found}; versi ini mengenal sampai {known}). Perbarui perangkat lunak kios; berkas tidak diubah.</translation>
    </message>
    <message>
        <source>{device}: {reason}</source>
        <translation>{device}: {reason}</translation>
    </message>
    <message>
        <source>Printer: {reason}</source>
        <translation>Printer: {reason}</translation>
    </message>
    <message>
        <source>the ticket could not be laid out</source>
        <translation>tiket tidak dapat disusun untuk dicetak</translation>
    </message>
    <message>
        <source>the printer adapter failed</source>
        <translation>adaptor printer gagal</translation>
    </message>
    <message>
        <source>interrupted: the kiosk stopped before the printer&apos;s answer was saved</source>
        <translation>terputus: kios berhenti sebelum jawaban printer disimpan</translation>
    </message>
    <message>
        <source>interrupted: the kiosk stopped before the ticket reached the printer</source>
        <translation>terputus: kios berhenti sebelum tiket sampai ke printer</translation>
    </message>
    <message>
        <source>Did you mean {codes}? &apos;kiosk catalog&apos; lists every service.</source>
        <translation>Maksud Anda {codes}? &apos;kiosk catalog&apos; menampilkan semua layanan.</translation>
    </message>
    <message>
        <source>&apos;kiosk catalog&apos; lists every service.</source>
        <translation>&apos;kiosk catalog&apos; menampilkan semua layanan.</translation>
    </message>
    <message>
        <source>{problem}</source>
        <extracomment>Longest subject (a name, an account id or a NIK-derived id) accepted.</extracomment>
        <translation>{problem}</translation>
    </message>
</context>
<context>
    <name>FaceScreen</name>
    <message>
        <source>Saving your face</source>
        <translation>Menyimpan wajah Anda</translation>
    </message>
    <message>
        <source>Show your face to the camera</source>
        <translation>Tunjukkan wajah Anda ke kamera</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>Please stay in front of the camera.</source>
        <translation>Tetaplah di depan kamera.</translation>
    </message>
    <message>
        <source>Put your face inside the oval.</source>
        <translation>Posisikan wajah Anda di dalam bingkai oval.</translation>
    </message>
    <message>
        <source>Step {k} of {n}</source>
        <translation>Langkah {k} dari {n}</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Skip, do not save</source>
        <translation>Lewati, jangan simpan</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>Ke awal</translation>
    </message>
    <message>
        <source>Back to start in {s} s. Touch the screen to stay.</source>
        <translation>Kembali ke awal dalam {s} detik. Sentuh layar untuk melanjutkan.</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>Large text</source>
        <translation>Huruf besar</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Kontras tinggi</translation>
    </message>
    <message>
        <source>Makes all text larger. Your choices stay.</source>
        <translation>Memperbesar semua tulisan. Pilihan Anda tetap tersimpan.</translation>
    </message>
    <message>
        <source>Black, white and yellow, easier to see. Your choices stay.</source>
        <translation>Hitam, putih dan kuning, lebih mudah dilihat. Pilihan Anda tetap tersimpan.</translation>
    </message>
    <message>
        <source>Changes the language. Your choices stay.</source>
        <translation>Mengganti bahasa. Pilihan Anda tetap tersimpan.</translation>
    </message>
    <message>
        <source>Offline</source>
        <extracomment>The technician&apos;s hidden way in: the hall&apos;s name held down this long (a citizen taps, never holds 3 s). The hall&apos;s name was held down for HOLD_MS: the technician&apos;s PIN pad (kiosk/flow.py decides).</extracomment>
        <translation>Luring</translation>
    </message>
    <message>
        <source>Offline: tickets still work</source>
        <translation>Luring: nomor antrean tetap bisa diambil</translation>
    </message>
</context>
<context>
    <name>Identify</name>
    <message>
        <source>Use my face</source>
        <extracomment>The way to each method, as the button on another method&apos;s screen says it (context &quot;Identify&quot;).</extracomment>
        <translation>Gunakan wajah saya</translation>
    </message>
    <message>
        <source>Scan QR code instead</source>
        <translation>Pindai kode QR</translation>
    </message>
    <message>
        <source>Type NIK instead</source>
        <translation>Ketik NIK</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>We do not recognise your face. Scan the QR code in your MPP Digital app, or type your NIK.</source>
        <extracomment>The result recorded for each method. The QR credential kinds a visitor proves who they are with (a badge is for staff; a ticket QR says nothing about its holder). Whose identity: the NIK, the QR credential&apos;s subject, or the enrolled name the face matched. The face&apos;s largest distance over the agreeing frames (smaller is closer); None otherwise. The QR credential&apos;s kiosk.credential.Verdict, used up in the ticket&apos;s own transaction. Face outcomes and the flow&apos;s own codes (English sources, context &quot;Identity&quot;).</extracomment>
        <translation>Wajah Anda belum kami kenali. Pindai kode QR di aplikasi MPP Digital Anda, atau ketik NIK Anda.</translation>
    </message>
    <message>
        <source>We could not see your face clearly. Please try again.</source>
        <translation>Wajah Anda kurang jelas terlihat. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>Please stay in front of the camera until the check is done. Try again.</source>
        <translation>Tetaplah di depan kamera sampai pemeriksaan selesai. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>The camera is not working now. Please scan your QR code or type your NIK.</source>
        <translation>Kamera sedang tidak berfungsi. Silakan pindai kode QR Anda atau ketik NIK Anda.</translation>
    </message>
    <message>
        <source>The check was stopped. Please try again.</source>
        <translation>Pemeriksaan dihentikan. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>Face check is not set up at this kiosk yet. Please scan your QR code or type your NIK.</source>
        <translation>Pemeriksaan wajah belum tersedia di kios ini. Silakan pindai kode QR Anda atau ketik NIK Anda.</translation>
    </message>
    <message>
        <source>The face check did not work. Please try again, or scan your QR code or type your NIK.</source>
        <translation>Pemeriksaan wajah tidak berhasil. Silakan coba lagi, atau pindai kode QR Anda atau ketik NIK Anda.</translation>
    </message>
    <message>
        <source>This code is not an MPP Digital account or booking code. Please scan the code from your app.</source>
        <translation>Kode ini bukan kode akun atau pemesanan MPP Digital. Silakan pindai kode dari aplikasi Anda.</translation>
    </message>
    <message>
        <source>Your face could not be saved. You can still take your queue number.</source>
        <translation>Wajah Anda tidak dapat disimpan. Anda tetap dapat mengambil nomor antrean.</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <source>Welcome</source>
        <translation>Selamat datang</translation>
    </message>
    <message>
        <source>The printer is not working: your number will be shown on the screen.</source>
        <translation>Printer sedang tidak berfungsi: nomor Anda akan ditampilkan di layar.</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>Kios ini sedang tidak dapat digunakan</translation>
    </message>
    <message>
        <source>Please use another kiosk or ask at the information desk.</source>
        <translation>Silakan gunakan kios lain atau bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>For the technician</source>
        <translation>Untuk teknisi</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>What do you need today?</source>
        <extracomment>The smallest touch target, in px, whatever the screen. A need tile&apos;s text column is at least this many title-font px wide per line (a calm line, not one word under another), and always as wide as the titles&apos; longest word. The hall is closed now: when it opens (calm, blue-grey). A configured printer does not work: the number is shown on the screen (calm, amber). The need tiles by their service code, in the catalog&apos;s order.</extracomment>
        <translation>Apa keperluan Anda hari ini?</translation>
    </message>
    <message>
        <source>Type what you need, e.g. passport</source>
        <translation>Ketik keperluan Anda, mis. paspor</translation>
    </message>
    <message>
        <source>Type what you need</source>
        <translation>Ketik keperluan Anda</translation>
    </message>
    <message>
        <source>Search: type what you need</source>
        <translation>Cari: ketik keperluan Anda</translation>
    </message>
    <message>
        <source>Most requested – touch one to start:</source>
        <translation>Paling sering dicari – sentuh salah satu untuk mulai:</translation>
    </message>
    <message>
        <source>Browse by agency</source>
        <translation>Cari berdasarkan instansi</translation>
    </message>
    <message>
        <source>Priority queue</source>
        <translation>Antrean prioritas</translation>
    </message>
    <message>
        <source>Priority queue: elderly, disability, pregnant, with an infant</source>
        <translation>Antrean prioritas: lansia, penyandang disabilitas, ibu hamil, membawa bayi</translation>
    </message>
    <message>
        <source>Elderly, disability, pregnant, with an infant: touch here to be served first.</source>
        <translation>Lansia, penyandang disabilitas, ibu hamil, membawa bayi: sentuh di sini untuk didahulukan.</translation>
    </message>
    <message>
        <source>Priority queue: {kind} ✓</source>
        <translation>Antrean prioritas: {kind} ✓</translation>
    </message>
    <message>
        <source>Touch here to change it.</source>
        <translation>Sentuh di sini untuk mengubahnya.</translation>
    </message>
</context>
<context>
    <name>IssuingScreen</name>
    <message>
        <source>Making your queue number…</source>
        <translation>Membuat nomor antrean Anda…</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <source>Delete</source>
        <extracomment>The rows of character keys, as printed on them; a key types its character in lower case. The smallest key, in px, whatever the screen (the kiosk&apos;s touch target). The columns of the space bar; &quot;Clear all&quot; takes the rest of the bottom row (its words fit in large text), &quot;Delete&quot; the rest of the last row of letters. The gap between keys, in px at a 1080 px short side, and never less than this anywhere. The character keys by the character they type (&quot;a&quot;, &quot;1&quot;, &quot;-&quot;).</extracomment>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete one letter</source>
        <translation>Hapus satu huruf</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Spasi</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>Hapus semua</translation>
    </message>
</context>
<context>
    <name>Liveness</name>
    <message>
        <source>Look straight at the camera</source>
        <extracomment>Eyes count as closed below this share of the open-eye baseline EAR, open again above the next. A blink&apos;s closed phase (first closed frame to first open frame): human blinks take 0.1-0.4 s. A turn: yaw moved this far from the baseline (yaw runs -1..1), for this many frames in a row. Frontal: yaw within this of the baseline (and eyes open), for `FRONTAL_FRAMES` frames in a row. The settle window that gives the baselines: at least this many face frames over this long, with the yaw steady within `SETTLE_YAW_SPREAD`. An action starting sooner than this after it was asked was not a reaction to the prompt. How long the visitor has for each step (and for the settle window). Still: every landmark of the settle window within this share of the eye distance of its mean. Frozen: this many frames in a row identical to the one before (pixels, or all 68 landmarks: fitted on the full frame, a live face moves at least one of them within 5 frames). A face whose eyes are closer than this (pixels) is too far away to read its eyes: ignored. Another face, or a cut in the video: between two face frames the eyes&apos; centre moved more than `JUMP_RATIO` eye distances (plus `JUMP_PER_SECOND` per second of gap), or the face&apos;s size changed by more than `JUMP_SCALE` times. The settle window starts afresh after this long without a face. Width of the copy the face detector sees in `frame_landmarks` (landmarks use the full frame). Prompts (English source; context &quot;Liveness&quot;; kiosk_id.ts has the Indonesian).</extracomment>
        <translation>Lihat lurus ke kamera</translation>
    </message>
    <message>
        <source>Blink your eyes</source>
        <translation>Kedipkan mata Anda</translation>
    </message>
    <message>
        <source>Turn your head to the left</source>
        <translation>Tolehkan kepala ke kiri</translation>
    </message>
    <message>
        <source>Turn your head to the right</source>
        <translation>Tolehkan kepala ke kanan</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <extracomment>Per reason code: (English for technicians, the visitor&apos;s words as an English source string).</extracomment>
        <translation>Terima kasih.</translation>
    </message>
    <message>
        <source>We could not see your face. Stand in front of the camera.</source>
        <translation>Wajah Anda tidak terlihat. Berdirilah di depan kamera.</translation>
    </message>
    <message>
        <source>Look straight at the camera and hold still for a moment.</source>
        <translation>Lihat lurus ke kamera dan diam sejenak.</translation>
    </message>
    <message>
        <source>We could not check that you are here in person. Try again or use QR or NIK.</source>
        <translation>Kami tidak dapat memastikan Anda hadir langsung. Coba lagi atau gunakan QR atau NIK.</translation>
    </message>
    <message>
        <source>Please wait for each instruction, then follow it.</source>
        <translation>Tunggu setiap petunjuk, lalu ikuti.</translation>
    </message>
    <message>
        <source>You turned the other way. Please try again.</source>
        <translation>Anda menoleh ke arah yang lain. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>We did not see you blink. Please try again.</source>
        <translation>Kami tidak melihat Anda berkedip. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>We did not see you turn your head. Please try again.</source>
        <translation>Kami tidak melihat Anda menoleh. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>Blink once, normally. Please try again.</source>
        <translation>Berkediplah sekali seperti biasa. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>Please stay in front of the camera until the check is done.</source>
        <translation>Tetaplah di depan kamera sampai pemeriksaan selesai.</translation>
    </message>
    <message>
        <source>Time is up. Please try again.</source>
        <translation>Waktu habis. Silakan coba lagi.</translation>
    </message>
    <message>
        <source>The camera is not working. Please use QR or NIK.</source>
        <translation>Kamera tidak berfungsi. Silakan gunakan QR atau NIK.</translation>
    </message>
</context>
<context>
    <name>Nik</name>
    <message>
        <source>NIK accepted.</source>
        <extracomment>Added to the birth day for women. Province codes (Kemendagri&apos;s wilayah codes, Permendagri 72/2019, with the four provinces split from Papua in 2022: Papua Selatan 93, Papua Tengah 94, Papua Pegunungan 95 and Papua Barat Daya 96 by Kepmendagri 100.1.1-6117/2022). A NIK keeps the code it was issued with, and NIKs issued in Papua before the split may carry BPS&apos;s older code for Papua, 94; all of 91..96 are accepted, since refusing a real citizen is worse than accepting a mistyped prefix there. List as of 2024. English for technicians and the CLI, per reason code. The visitor&apos;s words per reason code (English source; `kiosk_id.ts` has the Indonesian).</extracomment>
        <translation>NIK diterima.</translation>
    </message>
    <message>
        <source>Enter the 16-digit NIK from your KTP.</source>
        <translation>Masukkan 16 angka NIK dari KTP Anda.</translation>
    </message>
    <message>
        <source>A NIK has numbers only. Check the number on your KTP.</source>
        <translation>NIK hanya berisi angka. Periksa nomor di KTP Anda.</translation>
    </message>
    <message>
        <source>A NIK has 16 digits. You entered {count}.</source>
        <translation>NIK terdiri atas 16 angka. Anda memasukkan {count}.</translation>
    </message>
    <message>
        <source>The first two digits are not a province code. Check the number on your KTP.</source>
        <translation>Dua angka pertama bukan kode provinsi. Periksa nomor di KTP Anda.</translation>
    </message>
    <message>
        <source>Digits 3 to 6 are not a valid region. Check the number on your KTP.</source>
        <translation>Angka ke-3 sampai ke-6 bukan kode wilayah yang sah. Periksa nomor di KTP Anda.</translation>
    </message>
    <message>
        <source>Digits 7 to 12 are not a valid birth date. Check the number on your KTP.</source>
        <translation>Angka ke-7 sampai ke-12 bukan tanggal lahir yang sah. Periksa nomor di KTP Anda.</translation>
    </message>
    <message>
        <source>Digits 7 to 12 give a birth date in the future. Check the number on your KTP.</source>
        <translation>Angka ke-7 sampai ke-12 menunjukkan tanggal lahir di masa depan. Periksa nomor di KTP Anda.</translation>
    </message>
    <message>
        <source>The last four digits cannot be 0000. Check the number on your KTP.</source>
        <translation>Empat angka terakhir tidak boleh 0000. Periksa nomor di KTP Anda.</translation>
    </message>
</context>
<context>
    <name>NikScreen</name>
    <message>
        <source>Type your NIK</source>
        <extracomment>Where each key sits: (row, column, columns spanned). A phone&apos;s pad on a screen with the height for it (the cell left of 0 empty, as on a phone&apos;s PIN pad); two rows of six on a short one. Below this window height the keypad is two rows of six (1366 x 768: four rows do not fit). The digits as the flow last drew them (state.nik_entry); &quot;&quot; after reset(). The keypad&apos;s buttons by key (&quot;0&quot;..&quot;9&quot;, &quot;delete&quot;).</extracomment>
        <translation>Ketik NIK Anda</translation>
    </message>
    <message>
        <source>The 16-digit number on your KTP-el.</source>
        <translation>16 angka yang tertera di KTP-el Anda.</translation>
    </message>
    <message>
        <source>{n} of 16 digits typed</source>
        <translation>{n} dari 16 angka diketik</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Lanjut</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <source>{n} digits entered</source>
        <extracomment>The keypad&apos;s buttons by key (&quot;0&quot;..&quot;9&quot;, &quot;clear&quot;, &quot;ok&quot;).</extracomment>
        <translation>{n} angka dimasukkan</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Teknisi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
    <message>
        <source>Enter the PIN</source>
        <translation>Masukkan PIN</translation>
    </message>
    <message>
        <source>No technician PIN is set on this kiosk. Run “kiosk diag” in a shell instead.</source>
        <translation>PIN teknisi belum diatur di kios ini. Jalankan “kiosk diag” di terminal.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>Enter the technician PIN.</source>
        <translation>Masukkan PIN teknisi.</translation>
    </message>
    <message>
        <source>Locked for {n} min after too many wrong PINs.</source>
        <translation>Terkunci {n} menit karena terlalu banyak PIN salah.</translation>
    </message>
    <message>
        <source>Wrong PIN. {n} tries left.</source>
        <translation>PIN salah. Sisa {n} kali coba.</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>Elderly (60 years or older)</source>
        <extracomment>What the touch screen shows for each kind (translated in context &quot;Priority&quot;).</extracomment>
        <translation>Lansia (60 tahun ke atas)</translation>
    </message>
    <message>
        <source>Person with a disability</source>
        <translation>Penyandang disabilitas</translation>
    </message>
    <message>
        <source>Pregnant woman</source>
        <translation>Ibu hamil</translation>
    </message>
    <message>
        <source>Parent with an infant</source>
        <translation>Orang tua membawa bayi</translation>
    </message>
    <message>
        <source>ELDERLY</source>
        <extracomment>The kind on the printed ticket&apos;s marker line, in capitals.</extracomment>
        <translation>LANSIA</translation>
    </message>
    <message>
        <source>DISABILITY</source>
        <translation>DISABILITAS</translation>
    </message>
    <message>
        <source>PREGNANT</source>
        <translation>IBU HAMIL</translation>
    </message>
    <message>
        <source>WITH INFANT</source>
        <translation>MEMBAWA BAYI</translation>
    </message>
    <message>
        <source>PRIORITY</source>
        <extracomment>The word on the ticket&apos;s marker line: &quot;PRIORITAS: LANSIA&quot; / &quot;PRIORITY: ELDERLY&quot;.</extracomment>
        <translation>PRIORITAS</translation>
    </message>
</context>
<context>
    <name>PriorityScreen</name>
    <message>
        <source>Priority queue</source>
        <extracomment>One big button per kind, by its code.</extracomment>
        <translation>Antrean prioritas</translation>
    </message>
    <message>
        <source>Served first at the counter. Touch the one that applies to you.</source>
        <translation>Didahulukan di loket. Sentuh yang sesuai dengan Anda.</translation>
    </message>
    <message>
        <source>Chosen ✓</source>
        <translation>Dipilih ✓</translation>
    </message>
    <message>
        <source>Not needed</source>
        <translation>Tidak perlu</translation>
    </message>
    <message>
        <source>No priority after all</source>
        <translation>Tidak jadi memakai prioritas</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <source>Scan your QR code</source>
        <translation>Pindai kode QR Anda</translation>
    </message>
    <message>
        <source>Scan the QR code from your MPP Digital app or your booking.</source>
        <translation>Pindai kode QR dari aplikasi MPP Digital atau bukti pemesanan Anda.</translation>
    </message>
    <message>
        <source>The scanner is below the screen. Hold the code over it.</source>
        <translation>Pemindai ada di bawah layar. Dekatkan kode ke pemindai.</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Bring your KTP: your NIK is checked at the counter.</source>
        <translation>Bawa KTP Anda: NIK diperiksa di loket.</translation>
    </message>
    <message>
        <source>Your identity is checked by face at the counter.</source>
        <translation>Identitas Anda diperiksa dengan wajah di loket.</translation>
    </message>
    <message>
        <source>Bring the QR code of your online booking.</source>
        <translation>Bawa kode QR pendaftaran online Anda.</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <source>What do you need? Type a few words.</source>
        <translation>Apa yang Anda perlukan? Ketik beberapa kata.</translation>
    </message>
    <message>
        <source>e.g. passport, KTP, SKCK</source>
        <translation>mis. paspor, KTP, SKCK</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>Type what you need</source>
        <extracomment>The service code of each result row now shown, best first.</extracomment>
        <translation>Ketik keperluan Anda</translation>
    </message>
    <message>
        <source>e.g. passport</source>
        <translation>mis. paspor</translation>
    </message>
    <message>
        <source>Browse by agency</source>
        <translation>Cari berdasarkan instansi</translation>
    </message>
    <message>
        <source>Most requested:</source>
        <translation>Paling sering dicari:</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Mencari…</translation>
    </message>
    <message>
        <source>We found nothing for “{q}”. Try another word, or look through the agencies.</source>
        <translation>Tidak ada hasil untuk “{q}”. Coba kata lain, atau cari berdasarkan instansi.</translation>
    </message>
    <message>
        <source>Touch the service you need:</source>
        <translation>Sentuh layanan yang Anda perlukan:</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Choose the service you came for.</source>
        <translation>Pilih layanan yang Anda perlukan.</translation>
    </message>
    <message>
        <source>bring your KTP</source>
        <translation>bawa KTP</translation>
    </message>
    <message>
        <source>face check</source>
        <translation>pemeriksaan wajah</translation>
    </message>
    <message>
        <source>booking QR code</source>
        <translation>kode QR pendaftaran</translation>
    </message>
</context>
<context>
    <name>Speech</name>
    <message>
        <source>Welcome. Touch the screen to take a queue number.</source>
        <translation>Selamat datang. Sentuh layar untuk mengambil nomor antrean.</translation>
    </message>
    <message>
        <source>Choose the agency you need.</source>
        <translation>Pilih instansi yang Anda tuju.</translation>
    </message>
    <message>
        <source>Choose the service you need.</source>
        <translation>Pilih layanan yang Anda perlukan.</translation>
    </message>
    <message>
        <source>Check your choice, then touch Yes to print your number.</source>
        <translation>Periksa pilihan Anda, lalu sentuh Ya untuk mencetak nomor Anda.</translation>
    </message>
    <message>
        <source>Printing your ticket. Please wait.</source>
        <translation>Tiket Anda sedang dicetak. Mohon tunggu.</translation>
    </message>
    <message>
        <source>Are you still there? Touch the screen to continue.</source>
        <translation>Apakah Anda masih di sini? Sentuh layar untuk melanjutkan.</translation>
    </message>
    <message>
        <source>Hold the QR code from your MPP Digital app under the scanner below the screen.</source>
        <translation>Dekatkan kode QR dari aplikasi MPP Digital Anda ke pemindai di bawah layar.</translation>
    </message>
    <message>
        <source>Type the sixteen digits of your NIK, as written on your KTP.</source>
        <translation>Ketik enam belas angka NIK Anda, seperti yang tertulis di KTP Anda.</translation>
    </message>
    <message>
        <source>Would you like the kiosk to recognise your face next time? It is your choice. Read, then choose.</source>
        <translation>Apakah Anda ingin kios mengenali wajah Anda lain kali? Ini pilihan Anda. Silakan baca, lalu pilih.</translation>
    </message>
    <message>
        <source>{service}. Touch Yes to print your number, or go back.</source>
        <translation>{service}. Sentuh Ya untuk mencetak nomor Anda, atau kembali.</translation>
    </message>
    <message>
        <source>Your queue number is {number}.</source>
        <translation>Nomor antrean Anda: {number}.</translation>
    </message>
    <message>
        <source>Please go to {counter} and wait for your number to be called.</source>
        <translation>Silakan menuju {counter} dan tunggu nomor Anda dipanggil.</translation>
    </message>
    <message>
        <source>Please take your ticket from the printer below the screen.</source>
        <translation>Silakan ambil tiket Anda dari printer di bawah layar.</translation>
    </message>
    <message>
        <source>Your ticket could not be printed. Please write down your number: {number}.</source>
        <translation>Tiket Anda tidak dapat dicetak. Silakan tulis nomor Anda: {number}.</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <extracomment>Joins a range of counters, &quot;Loket 1-5&quot; -&gt; &quot;Loket 1 to 5&quot; (then in words).</extracomment>
        <translation>{first} sampai {last}</translation>
    </message>
</context>
<context>
    <name>SupervisorPinScreen</name>
    <message>
        <source>Supervisor</source>
        <extracomment>The supervisor&apos;s hidden way in: a press held this long in the top-left or bottom-left corner. The corner&apos;s side, in pixels of the page (scaled by nothing: a finger&apos;s width and a bit). The PIN pad&apos;s own words (the rest of the pad is the technician&apos;s, ui/screens/pin.py).</extracomment>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>Enter the supervisor PIN or scan your supervisor badge.</source>
        <translation>Masukkan PIN supervisor atau pindai lencana supervisor Anda.</translation>
    </message>
    <message>
        <source>No supervisor PIN is set on this kiosk. Scan your supervisor badge.</source>
        <translation>Kios ini belum memiliki PIN supervisor. Pindai lencana supervisor Anda.</translation>
    </message>
    <message>
        <source>This code is not a valid supervisor badge.</source>
        <translation>Kode ini bukan lencana supervisor yang sah.</translation>
    </message>
</context>
<context>
    <name>SupervisorScreen</name>
    <message>
        <source>Supervisor</source>
        <extracomment>Pause/resume buttons by service code (for tests and the accessible names). The count label of each service by code.</extracomment>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Kiosk and devices</source>
        <translation>Kios dan perangkat</translation>
    </message>
    <message>
        <source>Printer: ready</source>
        <translation>Printer: siap</translation>
    </message>
    <message>
        <source>Printer: not ready</source>
        <translation>Printer: tidak siap</translation>
    </message>
    <message>
        <source>Sync: not running</source>
        <translation>Sinkronisasi: tidak berjalan</translation>
    </message>
    <message>
        <source>online</source>
        <translation>daring</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>luring</translation>
    </message>
    <message>
        <source>Sync: {state}, {n} facts waiting to be sent</source>
        <translation>Sinkronisasi: {state}, {n} data menunggu dikirim</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Tidak melayani</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>Sedang melayani</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>Layani kembali</translation>
    </message>
    <message>
        <source>Take out of service</source>
        <translation>Hentikan layanan</translation>
    </message>
    <message>
        <source>Reprint last ticket</source>
        <translation>Cetak ulang tiket terakhir</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnostik</translation>
    </message>
    <message>
        <source>Exit to desktop</source>
        <translation>Keluar ke desktop</translation>
    </message>
    <message>
        <source>Exit to the desktop? The kiosk stops serving visitors until it is started again.</source>
        <translation>Keluar ke desktop? Kios berhenti melayani pengunjung sampai dijalankan kembali.</translation>
    </message>
    <message>
        <source>Yes, exit</source>
        <translation>Ya, keluar</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>A sync round was asked for.</source>
        <translation>Sinkronisasi diminta.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Tersimpan.</translation>
    </message>
    <message>
        <source>Not saved.</source>
        <translation>Tidak tersimpan.</translation>
    </message>
    <message>
        <source>The last ticket was printed again.</source>
        <translation>Tiket terakhir sudah dicetak ulang.</translation>
    </message>
    <message>
        <source>Not reprinted.</source>
        <translation>Tidak dicetak ulang.</translation>
    </message>
    <message>
        <source>Tickets today per service</source>
        <translation>Tiket hari ini per layanan</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>dijeda</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Lanjutkan</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Jeda</translation>
    </message>
    <message>
        <source>Resume {service}</source>
        <translation>Lanjutkan {service}</translation>
    </message>
    <message>
        <source>Pause {service}</source>
        <translation>Jeda {service}</translation>
    </message>
</context>
<context>
    <name>Ticket</name>
    <message>
        <source>PUBLIC SERVICE MALL</source>
        <translation>MAL PELAYANAN PUBLIK</translation>
    </message>
    <message>
        <source>QUEUE NUMBER</source>
        <translation>NOMOR ANTREAN</translation>
    </message>
    <message>
        <source>Estimated wait: {wait}</source>
        <translation>Perkiraan tunggu: {wait}</translation>
    </message>
    <message>
        <source>Go to: {place}</source>
        <translation>Menuju: {place}</translation>
    </message>
    <message>
        <source>Please have ready:</source>
        <translation>Siapkan dokumen:</translation>
    </message>
    <message>
        <source>Keep this ticket and wait for your number to be called.</source>
        <translation>Simpan tiket ini dan tunggu nomor Anda dipanggil.</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Dicetak</translation>
    </message>
</context>
<context>
    <name>TicketScreen</name>
    <message>
        <source>Your queue number</source>
        <translation>Nomor antrean Anda</translation>
    </message>
    <message>
        <source>Estimated wait: {wait}</source>
        <translation>Perkiraan tunggu: {wait}</translation>
    </message>
    <message>
        <source>Go to: {place}</source>
        <translation>Menuju: {place}</translation>
    </message>
    <message>
        <source>Staff can scan this code to find your number.</source>
        <translation>Petugas dapat memindai kode ini untuk menemukan nomor Anda.</translation>
    </message>
    <message>
        <source>Have ready: {docs}</source>
        <translation>Siapkan: {docs}</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>Mencetak tiket Anda…</translation>
    </message>
    <message>
        <source>Please take your ticket from the printer below the screen.</source>
        <translation>Silakan ambil tiket Anda dari printer di bawah layar.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Priority queue: {kind}</source>
        <translation>Antrean prioritas: {kind}</translation>
    </message>
    <message>
        <source>This screen closes in {s} s. Touch it to keep it open.</source>
        <translation>Layar ini tertutup dalam {s} detik. Sentuh layar agar tetap terbuka.</translation>
    </message>
</context>
<context>
    <name>Unavailable</name>
    <message>
        <source>This kiosk is temporarily unavailable</source>
        <translation>Kiosk ini sementara tidak dapat digunakan</translation>
    </message>
    <message>
        <source>Please use another kiosk or ask at the information desk.</source>
        <translation>Silakan gunakan kios lain atau bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>We apologise for the inconvenience.</source>
        <translation>Mohon maaf atas ketidaknyamanannya.</translation>
    </message>
</context>
<context>
    <name>VisitorErrors</name>
    <message>
        <source>Please ask at the information desk.</source>
        <translation>Silakan bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Terjadi kendala.</translation>
    </message>
    <message>
        <source>The kiosk could not save your number.</source>
        <translation>Kios tidak dapat menyimpan nomor Anda.</translation>
    </message>
    <message>
        <source>{service} is closed now. It opens {when}.</source>
        <translation>{service} sedang tutup. Buka {when}.</translation>
    </message>
    <message>
        <source>{service} is closed now.</source>
        <translation>{service} sedang tutup.</translation>
    </message>
    <message>
        <source>Please come back then.</source>
        <translation>Silakan kembali pada waktu tersebut.</translation>
    </message>
    <message>
        <source>{service} is full for today. New numbers from {when}.</source>
        <translation>Kuota {service} hari ini sudah penuh. Nomor baru tersedia {when}.</translation>
    </message>
    <message>
        <source>{service} is full for today.</source>
        <translation>Kuota {service} hari ini sudah penuh.</translation>
    </message>
    <message>
        <source>This kiosk has no more numbers for {service} today.</source>
        <translation>Nomor {service} di kios ini sudah habis untuk hari ini.</translation>
    </message>
    <message>
        <source>Please use another kiosk or ask at the information desk.</source>
        <translation>Silakan gunakan kios lain atau bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>{service} needs the connection to the central system, which is down right now.</source>
        <translation>{service} memerlukan sambungan ke sistem pusat, yang sedang terputus.</translation>
    </message>
    <message>
        <source>This kiosk has no more numbers for this service today.</source>
        <translation>Nomor untuk layanan ini di kios ini sudah habis hari ini.</translation>
    </message>
    <message>
        <source>Your number is shown on this screen</source>
        <translation>Nomor Anda ditampilkan di layar ini</translation>
    </message>
    <message>
        <source>This kiosk does not print tickets. Please take a photo of your number or write it down.</source>
        <translation>Kios ini tidak mencetak tiket. Silakan potret nomor Anda atau catat.</translation>
    </message>
    <message>
        <source>The printer is out of paper</source>
        <translation>Kertas printer habis</translation>
    </message>
    <message>
        <source>The printer cover is open</source>
        <translation>Penutup printer terbuka</translation>
    </message>
    <message>
        <source>Your ticket could not be printed</source>
        <translation>Tiket Anda tidak dapat dicetak</translation>
    </message>
    <message>
        <source>Your number is valid and you are in the queue. Please take a photo of it or write it down. Staff at the information desk can help you.</source>
        <translation>Nomor Anda tetap berlaku dan Anda sudah masuk antrean. Silakan potret nomor ini atau catat. Petugas di meja informasi siap membantu.</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>No wait</source>
        <extracomment>From this many people ahead, a wait is shown as a range: the counters&apos; pace varies too much.</extracomment>
        <translation>Tanpa antre</translation>
    </message>
    <message>
        <source>No one ahead of you</source>
        <translation>Tidak ada orang di depan Anda</translation>
    </message>
    <message>
        <source>1 person ahead of you</source>
        <translation>1 orang di depan Anda</translation>
    </message>
    <message>
        <source>{n} people ahead of you</source>
        <translation>{n} orang di depan Anda</translation>
    </message>
    <message>
        <source>about {m} min</source>
        <translation>sekitar {m} menit</translation>
    </message>
    <message>
        <source>about {low}–{high} min</source>
        <translation>sekitar {low}–{high} menit</translation>
    </message>
    <message>
        <source>today {time}</source>
        <translation>hari ini {time}</translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation>besok {time}</translation>
    </message>
    <message>
        <source>{weekday} {time}</source>
        <translation>{weekday} {time}</translation>
    </message>
    <message>
        <source>{day} {month} {time}</source>
        <translation>{day} {month} {time}</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Senin</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Selasa</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Rabu</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Kamis</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Jumat</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Sabtu</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Minggu</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>Jan</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>Feb</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>Mar</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>Apr</translation>
    </message>
    <message>
        <source>May</source>
        <translation>Mei</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>Jun</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>Jul</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>Agu</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>Sep</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>Okt</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>Nov</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>Des</translation>
    </message>
    <message>
        <source>Closed · opens {when}</source>
        <translation>Tutup · buka {when}</translation>
    </message>
    <message>
        <source>Closed now</source>
        <translation>Sedang tutup</translation>
    </message>
    <message>
        <source>Full for today</source>
        <translation>Kuota hari ini penuh</translation>
    </message>
    <message>
        <source>Full for today · new numbers {when}</source>
        <translation>Kuota hari ini penuh · nomor baru {when}</translation>
    </message>
    <message>
        <source>No numbers left at this kiosk</source>
        <translation>Nomor di kios ini sudah habis</translation>
    </message>
    <message>
        <source>Not available while the kiosk is offline</source>
        <translation>Tidak tersedia saat kios offline</translation>
    </message>
    <message>
        <source>Paused for now</source>
        <translation>Sementara dihentikan</translation>
    </message>
    <message>
        <source>Not available now</source>
        <translation>Sedang tidak tersedia</translation>
    </message>
    <message>
        <source>Opens {when}</source>
        <translation>Buka {when}</translation>
    </message>
    <message>
        <source>The hall is closed now. It opens {when}.</source>
        <translation>Mal Pelayanan Publik sedang tutup. Buka {when}.</translation>
    </message>
</context>
</TS>
