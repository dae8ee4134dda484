/**
 * How the console gets an agent's attention: a short beep (Web Audio, no sound file) and a desktop
 * notification (Notification API). Each is switched on or off per agent in the settings menu and
 * kept in localStorage; the browser's permission for desktop notifications is asked only from a
 * click (browsers ignore requests made without a user gesture).
 */

export interface NotifySettings {
  sound: boolean;
  desktop: boolean;
}

const DEFAULTS: NotifySettings = { sound: true, desktop: true };

function storageKey(agentId: string): string {
  return `helpdesk.notify.${agentId}`;
}

/** The agent's saved choices (both on until switched off). */
export function loadNotifySettings(agentId: string): NotifySettings {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(agentId)) ?? '{}') as Partial<NotifySettings>;
    return {
      sound: typeof saved.sound === 'boolean' ? saved.sound : DEFAULTS.sound,
      desktop: typeof saved.desktop === 'boolean' ? saved.desktop : DEFAULTS.desktop,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

/** Whether the agent was already offered desktop notifications (the offer is made once). */
export function wasOfferedDesktop(agentId: string): boolean {
  try {
    return localStorage.getItem(`helpdesk.notify-offered.${agentId}`) === 'yes';
  } catch {
    return false;
  }
}

/** Remembers that the offer was answered (allowed or "not now"). */
export function markOfferedDesktop(agentId: string): void {
  try {
    localStorage.setItem(`helpdesk.notify-offered.${agentId}`, 'yes');
  } catch {
    // private mode: offered again next time
  }
}

/** Keeps the agent's choices for the next visit. */
export function saveNotifySettings(agentId: string, settings: NotifySettings): void {
  try {
    localStorage.setItem(storageKey(agentId), JSON.stringify(settings));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export type DesktopPermission = NotificationPermission | 'unsupported';

/** What the browser allows for desktop notifications now. */
export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the browser for permission; call it from a click. @returns the answer. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/**
 * Shows a desktop notification when allowed. `tag` replaces an earlier notification with the
 * same tag (one per ticket) instead of stacking them.
 * @param onClick called when the agent clicks it (the window is focused first).
 */
export function showDesktopNotification(
  title: string,
  options: { body?: string; tag: string; lang: string; dir: 'rtl' | 'ltr' },
  onClick: () => void,
): void {
  if (desktopPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, options);
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the sound still plays.
  }
}

let audio: AudioContext | null = null;

/**
 * Prepares the audio context on the agent's first click or key press: browsers only let a page
 * start sound after a user gesture, and beeps come later from realtime events.
 */
export function unlockAudioOnFirstGesture(): () => void {
  const unlock = () => {
    try {
      audio ??= new AudioContext();
      void audio.resume();
    } catch {
      // no Web Audio: no beep
    }
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
  return () => {
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
}

/** Two short tones (880 Hz then 660 Hz, 0.3 s in all), quiet. */
export function beep(): void {
  try {
    audio ??= new AudioContext();
    const context = audio;
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime;
    [880, 660].forEach((frequency, index) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const at = start + index * 0.15;
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.14);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.15);
    });
  } catch {
    // no Web Audio: no beep
  }
}
