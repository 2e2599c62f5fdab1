package io.netboot4j.nfsroot.internal;

/** Credentials after the export's squashing rules: what permission checks use. */
public record Creds(int uid, int gid, int[] gids) {

    /** Squashes {@code caller} per {@code rule}: AUTH_NONE and all_squash to anon; uid/gid 0 under root_squash. */
    public static Creds of(Caller caller, ExportRule rule) {
        if (!caller.unix() || rule.allSquash()) {
            return new Creds(rule.anonUid(), rule.anonGid(), new int[0]);
        }
        int uid = caller.uid();
        int gid = caller.gid();
        int[] gids = caller.gids().clone();
        if (rule.rootSquash()) {
            if (uid == 0) {
                uid = rule.anonUid();
            }
            if (gid == 0) {
                gid = rule.anonGid();
            }
            for (int i = 0; i < gids.length; i++) {
                if (gids[i] == 0) {
                    gids[i] = rule.anonGid();
                }
            }
        }
        return new Creds(uid, gid, gids);
    }

    public boolean root() {
        return uid == 0;
    }

    public boolean inGroup(int g) {
        if (g == gid) {
            return true;
        }
        for (int x : gids) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether these credentials may {@code want} (bits 4 read, 2 write, 1 execute) on a file
     * of {@code st}: root may read and write anything and execute what anyone may.
     */
    public boolean may(Stat st, int want) {
        if (root()) {
            if ((want & 1) != 0 && !st.isDirectory() && (st.mode() & 0111) == 0) {
                return false;
            }
            return true;
        }
        int bits;
        if (uid == st.uid()) {
            bits = (st.mode() >> 6) & 7;
        } else if (inGroup(st.gid())) {
            bits = (st.mode() >> 3) & 7;
        } else {
            bits = st.mode() & 7;
        }
        return (bits & want) == want;
    }
}
