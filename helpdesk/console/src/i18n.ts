/**
 * The console's words in Arabic (the default, right to left) and English, and the page's
 * direction. The choice is kept in localStorage.
 */
import { createContext, useContext } from 'react';

export type Language = 'ar' | 'en';

const ar = {
  appName: 'مكتب مساعدة واتساب',
  signIn: 'تسجيل الدخول',
  email: 'البريد الإلكتروني',
  password: 'كلمة المرور',
  signOut: 'خروج',
  signInFailed: 'تعذّر تسجيل الدخول',
  changePassword: 'تغيير كلمة المرور',
  currentPassword: 'كلمة المرور الحالية',
  newPassword: 'كلمة المرور الجديدة',
  confirmPassword: 'تأكيد كلمة المرور الجديدة',
  passwordRule: 'عشرة أحرف على الأقل، منها خمسة مختلفة على الأقل',
  passwordsDiffer: 'كلمتا المرور الجديدتان غير متطابقتين',
  passwordChanged: 'تم تغيير كلمة المرور، وخرجت جلساتك الأخرى',
  passwordChangeFailed: 'تعذّر تغيير كلمة المرور',
  save: 'حفظ',
  cancel: 'إلغاء',
  mine: 'تذاكري',
  unassigned: 'قائمة الانتظار',
  all: 'كل التذاكر',
  search: 'بحث بالاسم أو الرقم',
  statusFilter: 'الحالة',
  active: 'المفتوحة',
  loadMore: 'المزيد',
  noTickets: 'لا توجد تذاكر',
  pickTicket: 'اختر تذكرة من القائمة',
  availability: 'الحالة',
  online: 'متاح',
  away: 'بعيد',
  offline: 'غير متصل',
  open: 'مفتوحة',
  pending: 'معلّقة',
  resolved: 'محلولة',
  closed: 'مغلقة',
  setOpen: 'إعادة فتح',
  setPending: 'تعليق',
  setResolved: 'حل',
  setClosed: 'إغلاق',
  transfer: 'تحويل',
  transferTo: 'تحويل إلى…',
  toQueue: 'إرجاع لقائمة الانتظار',
  claim: 'استلام التذكرة',
  assignee: 'المسؤول',
  nobody: 'بدون',
  category: 'التصنيف',
  replyPlaceholder: 'اكتب ردك…',
  notePlaceholder: 'ملاحظة داخلية (لا تُرسل للعميل)…',
  note: 'ملاحظة داخلية',
  send: 'إرسال',
  addNote: 'إضافة ملاحظة',
  attach: 'إرفاق ملف',
  removeFile: 'إزالة',
  internalNote: 'ملاحظة داخلية',
  customer: 'العميل',
  agent: 'موظف',
  bot: 'الرد الآلي',
  download: 'تنزيل',
  queued: 'في الانتظار',
  sent: 'أُرسلت',
  delivered: 'وصلت',
  read: 'قُرئت',
  failed: 'فشل الإرسال',
  live: 'مباشر',
  reconnecting: 'إعادة الاتصال…',
  firstResponse: 'أول رد',
  resolution: 'مدة الحل',
  notAllowed: 'غير مسموح',
  language: 'English',
  minutes: 'د',
  image: 'صورة',
  audio: 'رسالة صوتية',
  document: 'مستند',
  opened: 'فُتحت التذكرة',
  assigned: 'أُسندت',
  transferred: 'حُوّلت',
  unassignedEvent: 'أُعيدت لقائمة الانتظار',
  status_changed: 'تغيّرت الحالة',
  reopened: 'أُعيد فتحها',
  classified: 'صُنّفت',
  first_response: 'أول رد',
  prescription_refill: 'إعادة صرف روشتة',
  order_status: 'حالة الطلب',
  pharmacist: 'التحدث مع صيدلي',
  delivery: 'التوصيل والفروع',
  other: 'استفسار آخر',
};

export type Words = typeof ar;

const en: Words = {
  appName: 'WhatsApp helpdesk',
  signIn: 'Sign in',
  email: 'Email',
  password: 'Password',
  signOut: 'Sign out',
  signInFailed: 'Could not sign in',
  changePassword: 'Change password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'New password again',
  passwordRule: 'At least 10 characters, at least 5 of them different',
  passwordsDiffer: 'The two new passwords differ',
  passwordChanged: 'Password changed; your other sessions were signed out',
  passwordChangeFailed: 'Could not change the password',
  save: 'Save',
  cancel: 'Cancel',
  mine: 'My tickets',
  unassigned: 'Waiting queue',
  all: 'All tickets',
  search: 'Search name or phone',
  statusFilter: 'Status',
  active: 'Active',
  loadMore: 'Load more',
  noTickets: 'No tickets',
  pickTicket: 'Pick a ticket from the list',
  availability: 'Availability',
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
  setOpen: 'Reopen',
  setPending: 'Pending',
  setResolved: 'Resolve',
  setClosed: 'Close',
  transfer: 'Transfer',
  transferTo: 'Transfer to…',
  toQueue: 'Back to the queue',
  claim: 'Claim ticket',
  assignee: 'Assignee',
  nobody: 'Nobody',
  category: 'Category',
  replyPlaceholder: 'Write your reply…',
  notePlaceholder: 'Internal note (never sent to the customer)…',
  note: 'Internal note',
  send: 'Send',
  addNote: 'Add note',
  attach: 'Attach file',
  removeFile: 'Remove',
  internalNote: 'Internal note',
  customer: 'Customer',
  agent: 'Agent',
  bot: 'Bot',
  download: 'Download',
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  firstResponse: 'First response',
  resolution: 'Resolution',
  notAllowed: 'Not allowed',
  language: 'العربية',
  minutes: 'min',
  image: 'Image',
  audio: 'Voice note',
  document: 'Document',
  opened: 'Ticket opened',
  assigned: 'Assigned',
  transferred: 'Transferred',
  unassignedEvent: 'Returned to the queue',
  status_changed: 'Status changed',
  reopened: 'Reopened',
  classified: 'Classified',
  first_response: 'First response',
  prescription_refill: 'Prescription refill',
  order_status: 'Order status',
  pharmacist: 'Talk to a pharmacist',
  delivery: 'Delivery and branches',
  other: 'Something else',
};

export const WORDS: Record<Language, Words> = { ar, en };

const STORAGE_KEY = 'helpdesk.language';

/** The saved language, Arabic unless English was chosen. */
export function savedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ar';
  } catch {
    return 'ar';
  }
}

/** Saves the language and sets the page's `lang` and `dir` (rtl for Arabic). */
export function applyLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = language;
  document.documentElement.dir = language === 'ar' ? 'rtl' : 'ltr';
  document.title = WORDS[language].appName;
}

export interface I18n {
  language: Language;
  t: Words;
  /** Translates a known key (status, category, event type), else returns it as is. */
  label(key: string | null | undefined): string;
  /** A date and time in the language's format. */
  formatTime(iso: string): string;
}

/** Builds the helpers for one language. */
export function makeI18n(language: Language): I18n {
  const t = WORDS[language];
  const time = new Intl.DateTimeFormat(language === 'ar' ? 'ar-EG' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    language,
    t,
    label: (key) => (key ? ((t as Record<string, string>)[key] ?? key) : ''),
    formatTime: (iso) => time.format(new Date(iso)),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('ar'));

/** The current language's helpers. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
