package io.wasmudf.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated, seeded, realistic text for the per-row text benchmark (issue 21): article titles in
 * several languages (mostly Latin script with accents, some Greek and CJK, punctuation, numbers,
 * an emoji now and then), pairs of personal names (one a typo or variant of the other, or another
 * name) and short JSON documents (an object of 4–7 fields in varying order, nested values, now and
 * then an escaped string, a missing or null {@code name}). Same seed, same rows, every run.
 */
final class RealisticText {
    /** One row: a title, two names, a JSON document. */
    record Row(String title, String name1, String name2, String doc) {}

    private static final String[] WORDS = {
        "the", "of", "and", "a", "in", "to", "for", "with", "on", "how", "why", "new", "best", "guide",
        "data", "database", "query", "index", "performance", "Java", "WebAssembly", "SQL", "engine",
        "café", "naïve", "Zürich", "São", "Paulo", "Łódź", "Ærø", "Straße", "Köln", "Ñandú", "façade",
        "déjà", "vu", "crème", "brûlée", "smörgåsbord", "Kraków", "Île-de-France", "Dvořák", "Œuvre",
        "Ελληνικά", "καλημέρα", "東京", "日本語", "über", "résumé", "coöperate", "piñata", "fjörd",
        "2024", "10", "3.5", "v2", "#1", "100%", "C++", "AT&T", "rock'n'roll", "e-mail", "Q&A",
    };
    private static final String[] PUNCT = {" ", " ", " ", " ", " ", ", ", ": ", " - ", " — ", " / ", "! ", "? ", " (", ") "};
    private static final String[] FIRST = {
        "Anna", "José", "Zoë", "Björn", "Chloé", "François", "Łukasz", "Søren", "Mårten", "Renée",
        "Jürgen", "Ægir", "Dmitri", "Siobhán", "Nuño", "Ines", "Oğuz", "Élodie", "Sebastian", "Hannah",
        "Michael", "Katharina", "Jean-Luc", "Mary-Ann", "Ólafur", "Ζωή", "さくら",
    };
    private static final String[] LAST = {
        "Müller", "García", "Nørgaard", "O'Brien", "Schmidt", "Dubois", "Kowalski", "Håkansson",
        "Ibáñez", "Lefèvre", "Novák", "Smith", "Johnson", "Rossi", "Öztürk", "Çelik", "van der Berg",
        "Wójcik", "Jørgensen", "Papadopoulos", "Østergård", "Brontë",
    };
    private static final String[] CITIES = {"Köln", "Zürich", "São Paulo", "Kraków", "Reykjavík", "Tokyo", "Αθήνα", "Montréal", "Malmö", "Gdańsk"};

    private RealisticText() {}

    /** {@code n} rows from seed {@code seed}. */
    static List<Row> rows(int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name1 = name(r);
            String name2 = r.nextInt(3) == 0 ? name(r) : typo(name1, r);
            rows.add(new Row(title(r), name1, name2, doc(r, i, name1)));
        }
        return rows;
    }

    private static String title(Random r) {
        StringBuilder sb = new StringBuilder();
        int words = 4 + r.nextInt(8);
        for (int w = 0; w < words; w++) {
            String word = WORDS[r.nextInt(WORDS.length)];
            sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            sb.append(w == words - 1 ? "" : PUNCT[r.nextInt(PUNCT.length)]);
        }
        if (r.nextInt(20) == 0) {
            sb.append(r.nextBoolean() ? " 🎉" : " 🚀!");
        }
        return sb.toString();
    }

    private static String name(Random r) {
        return FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
    }

    /** One to three edits: a dropped, doubled, swapped or replaced character, or accents dropped. */
    private static String typo(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 2; e++) {
            int i = r.nextInt(sb.length() - 1);
            if (Character.isSurrogate(sb.charAt(i)) || Character.isSurrogate(sb.charAt(i + 1))) {
                continue;
            }
            switch (r.nextInt(5)) {
                case 0: sb.deleteCharAt(i); break;
                case 1: sb.insert(i, sb.charAt(i)); break;
                case 2: {
                    char c = sb.charAt(i);
                    sb.setCharAt(i, sb.charAt(i + 1));
                    sb.setCharAt(i + 1, c);
                    break;
                }
                case 3: sb.setCharAt(i, (char) ('a' + r.nextInt(26))); break;
                default: {
                    String plain = java.text.Normalizer.normalize(sb, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
                    sb.setLength(0);
                    sb.append(plain);
                }
            }
        }
        return sb.toString();
    }

    private static String doc(Random r, int id, String name) {
        List<String> fields = new ArrayList<>();
        fields.add("\"id\":" + (1000 + id));
        int nameKind = r.nextInt(20);
        if (nameKind == 0) {
            fields.add("\"name\":null");
        } else if (nameKind == 1) {
            fields.add("\"title\":\"" + name + "\""); // no name field
        } else if (nameKind == 2) {
            // escaped: a quote, a \\u escape and a surrogate pair
            fields.add("\"name\":\"" + name.replace("e", "\\u00e9") + " \\\"jr\\\" \\ud83d\\ude00\"");
        } else {
            fields.add("\"name\":\"" + name + "\"");
        }
        fields.add("\"price\":" + (r.nextInt(100000) / 100.0));
        fields.add("\"active\":" + r.nextBoolean());
        if (r.nextBoolean()) {
            fields.add("\"tags\":[\"" + WORDS[r.nextInt(WORDS.length)] + "\",\"" + WORDS[r.nextInt(WORDS.length)] + "\"]");
        }
        if (r.nextBoolean()) {
            fields.add("\"address\":{\"city\":\"" + CITIES[r.nextInt(CITIES.length)] + "\",\"zip\":\"" + (10000 + r.nextInt(89999)) + "\"}");
        }
        java.util.Collections.shuffle(fields.subList(1, fields.size()), r);
        return "{" + String.join(r.nextInt(4) == 0 ? ", " : ",", fields) + "}";
    }
}
