/** The look-backs the Advisor offers, in days (the page's `?days=`, `FLEETSCOPE_ADVISOR_DAYS`). */
export const ADVISOR_WINDOW_DAYS = [1, 3, 7, 14] as const;
export type AdvisorWindowDays = (typeof ADVISOR_WINDOW_DAYS)[number];

export const isAdvisorWindowDays = (n: number): n is AdvisorWindowDays =>
  (ADVISOR_WINDOW_DAYS as readonly number[]).includes(n);
