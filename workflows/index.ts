import optinNotice from './optin-notice.json';
import appointmentReminder from './appointment-reminder.json';
import payByText from './pay-by-text.json';

/** The built-in templates, as their raw documents (validate before use). */
export const TEMPLATES: readonly unknown[] = [optinNotice, appointmentReminder, payByText];
