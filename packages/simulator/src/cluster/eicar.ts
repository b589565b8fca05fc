/** The EICAR anti-malware test string (built in two parts so this source is not itself flagged). */
export const EICAR_TEST_STRING = `X5O!P%@AP[4\\PZX54(P^)7CC)7}$${"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"}`;
