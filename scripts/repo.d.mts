export declare const ACTION_REPO: string
