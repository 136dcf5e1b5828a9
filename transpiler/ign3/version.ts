/** The Ignition version the ign3 translation produces (kept apart so that naming it loads nothing else). */
export const IGNITION_VERSION_V33 = '3.3.0';
