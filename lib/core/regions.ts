/** AWS region names: a partition prefix, a geography and a number (us-east-1, eu-west-1, ap-southeast-2). */
const REGION_PATTERN = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-(?:[a-z]+)-\d{1,2}$/;

export const isRegion = (value: string): boolean => REGION_PATTERN.test(value);
