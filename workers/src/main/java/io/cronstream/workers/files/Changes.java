package io.cronstream.workers.files;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The difference between two versions of a library, as the changes that turn one into the other. */
public final class Changes {

    private Changes() {
    }

    /**
     * Every path that appeared, disappeared or changed content. A path that disappeared while another with
     * the same content appeared is reported as one RENAMED: that is how a move looks once its separate
     * delete and create have been observed. Ordered by path, so the same two versions always give the same list.
     */
    public static List<Change> between(Map<String, FileState> before, Map<String, FileState> after) {
        TreeSet<String> gone = new TreeSet<>(before.keySet());
        gone.removeAll(after.keySet());
        Map<String, Deque<String>> appearedByHash = new HashMap<>();
        for (String path : new TreeSet<>(after.keySet())) {
            if (!before.containsKey(path)) {
                appearedByHash.computeIfAbsent(after.get(path).hash(), hash -> new ArrayDeque<>()).add(path);
            }
        }

        List<Change> changes = new ArrayList<>();
        for (String path : gone) {
            Deque<String> sameContent = appearedByHash.get(before.get(path).hash());
            if (sameContent == null || sameContent.isEmpty()) {
                changes.add(Change.deleted(path));
            } else {
                String to = sameContent.poll();
                changes.add(Change.renamed(path, to, after.get(to)));
            }
        }
        appearedByHash.values().forEach(paths -> paths.forEach(path -> changes.add(Change.added(path, after.get(path)))));
        after.forEach((path, now) -> {
            FileState was = before.get(path);
            if (was != null && !Objects.equals(was.hash(), now.hash())) {
                changes.add(Change.modified(path, now));
            }
        });
        changes.sort(Comparator.comparing(Change::path));
        return List.copyOf(changes);
    }
}
