/**
 * Tag colours dark enough for small text (Ant Design's preset tags, such as green at 3.4:1, fall under
 * WCAG AA): a custom colour makes the tag its text colour on a 95 %-light tint of it.
 */
export const READABLE_TAG = {
  green: '#237804',
  blue: '#0958d9',
  volcano: '#ad2102',
  gold: '#874d00',
  cyan: '#006d75',
  purple: '#391085',
  lime: '#3f6600',
  red: '#a8071a',
  brown: '#874d00',
  grey: '#434343',
  darkGreen: '#135200',
} as const;
