<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AgencyScreen</name>
    <message>
        <source>Which agency do you need?</source>
        <translation>Instansi mana yang Anda tuju?</translation>
    </message>
    <message>
        <source>Touch one to see its services.</source>
        <translation>Sentuh salah satu untuk melihat layanannya.</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <source>The printer is not working: your number will be shown on the screen.</source>
        <translation>Printer sedang tidak berfungsi: nomor Anda akan ditampilkan di layar.</translation>
    </message>
    <message>
        <source>Print a queue number for:</source>
        <translation>Cetak nomor antrian untuk:</translation>
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
        <source>No, go back</source>
        <translation>Tidak, kembali</translation>
    </message>
</context>
<context>
    <name>DetailScreen</name>
    <message>
        <source>Take a queue number</source>
        <translation>Ambil nomor antrian</translation>
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
        <translation>Memeriksa antrian…</translation>
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
        <translation>Terjadi kesalahan.</translation>
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
        <source>No more ticket numbers today for letter {prefix}.</source>
        <translation>Nomor antrian huruf {prefix} hari ini sudah habis.</translation>
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
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
    <message>
        <source>Offline: tickets still work</source>
        <translation>Luring: nomor antrean tetap bisa diambil</translation>
    </message>
</context>
<context>
    <name>Idle</name>
    <message>
        <source>Welcome</source>
        <translation>Selamat datang</translation>
    </message>
    <message>
        <source>Take a queue number here for every service in this hall.</source>
        <translation>Ambil nomor antrian di sini untuk semua layanan di gedung ini.</translation>
    </message>
    <message>
        <source>Touch your language to start</source>
        <translation>Sentuh bahasa Anda untuk mulai</translation>
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
</context>
<context>
    <name>IssuingScreen</name>
    <message>
        <source>Making your queue number…</source>
        <translation>Membuat nomor antrian Anda…</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>Elderly (60 years or older)</source>
        <extracomment>The codes, in the order the touch screen offers them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person with a disability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pregnant woman</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent with an infant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ELDERLY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISABILITY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PREGNANT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WITH INFANT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRIORITY</source>
        <extracomment>The word on the ticket&apos;s marker line: &quot;PRIORITAS: LANSIA&quot; / &quot;PRIORITY: ELDERLY&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>A counter is free now</source>
        <translation>Loket sedang kosong</translation>
    </message>
    <message>
        <source>About {m} min</source>
        <translation>Sekitar {m} menit</translation>
    </message>
    <message>
        <source>{wait} (this kiosk&apos;s estimate)</source>
        <translation>{wait} (perkiraan kiosk ini)</translation>
    </message>
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
    <name>ServiceScreen</name>
    <message>
        <source>Choose the service you came for.</source>
        <translation>Pilih layanan yang Anda perlukan.</translation>
    </message>
    <message>
        <source>needs the online link (down now)</source>
        <translation>perlu koneksi online (sedang terputus)</translation>
    </message>
    <message>
        <source>closed now</source>
        <translation>sedang tutup</translation>
    </message>
    <message>
        <source>none left at this kiosk</source>
        <translation>habis di kiosk ini</translation>
    </message>
    <message>
        <source>full for today</source>
        <translation>kuota hari ini penuh</translation>
    </message>
    <message>
        <source>no wait now</source>
        <translation>tanpa antre saat ini</translation>
    </message>
    <message>
        <source>about {m} min wait</source>
        <translation>tunggu sekitar {m} menit</translation>
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
    <name>Ticket</name>
    <message>
        <source>PUBLIC SERVICE MALL</source>
        <translation>MAL PELAYANAN PUBLIK</translation>
    </message>
    <message>
        <source>QUEUE NUMBER</source>
        <translation>NOMOR ANTRIAN</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>Di depan Anda: {n} orang</translation>
    </message>
    <message>
        <source>Estimated wait: about {m} min</source>
        <translation>Perkiraan tunggu: sekitar {m} menit</translation>
    </message>
    <message>
        <source>Estimated wait: you are next</source>
        <translation>Perkiraan tunggu: Anda berikutnya</translation>
    </message>
    <message>
        <source>Estimated wait: about {m} min (this kiosk&apos;s estimate)</source>
        <translation>Perkiraan tunggu: sekitar {m} menit (perkiraan kiosk ini)</translation>
    </message>
    <message>
        <source>Estimated wait: you are next (this kiosk&apos;s estimate)</source>
        <translation>Perkiraan tunggu: Anda berikutnya (perkiraan kiosk ini)</translation>
    </message>
    <message>
        <source>Counter: {group}</source>
        <translation>Loket: {group}</translation>
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
        <translation>Nomor antrian Anda</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>Di depan Anda: {n} orang</translation>
    </message>
    <message>
        <source>Estimated wait: {wait}</source>
        <translation>Perkiraan tunggu: {wait}</translation>
    </message>
    <message>
        <source>Counter: {group}</source>
        <translation>Loket: {group}</translation>
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
</context>
<context>
    <name>VisitorErrors</name>
    <message>
        <source>Something went wrong. Please ask at the information desk.</source>
        <translation>Terjadi kesalahan. Silakan bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>The kiosk could not save your number. Please ask at the information desk.</source>
        <translation>Kios tidak dapat menyimpan nomor Anda. Silakan bertanya di meja informasi.</translation>
    </message>
    <message>
        <source>Your number is on the screen: please take a photo or write it down. Staff at the information desk will help you.</source>
        <translation>Nomor Anda ada di layar: silakan foto atau catat. Petugas di meja informasi akan membantu Anda.</translation>
    </message>
    <message>
        <source>Please ask at the information desk.</source>
        <translation>Silakan bertanya di meja informasi.</translation>
    </message>
</context>
</TS>
