//! A small regular-expression engine: a parser to a Thompson NFA program and a Pike VM, which
//! runs in O(text × program) with no backtracking.

enum Inst {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Split(usize, usize),
    Jmp(usize),
    Bol,
    Eol,
    Match,
}

pub struct Regex {
    prog: Vec<Inst>,
}

#[derive(Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Bol,
    Eol,
    Cat(Vec<Node>),
    Alt(Box<Node>, Box<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

const MAX_REPEAT: u32 = 255; // PostgreSQL's DUPMAX

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl<'a> Parser<'a> {
    fn alt(&mut self, depth: u32) -> Result<Node, String> {
        if depth > 200 {
            return Err("groups nested too deeply".into());
        }
        let mut left = self.cat(depth)?;
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            let right = self.cat(depth)?;
            left = Node::Alt(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn cat(&mut self, depth: u32) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            items.push(self.quantified(atom)?);
        }
        Ok(if items.is_empty() { Node::Empty } else { Node::Cat(items) })
    }

    fn quantified(&mut self, mut atom: Node) -> Result<Node, String> {
        loop {
            let (min, max) = match self.chars.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => {
                    self.chars.next();
                    let min = self.number()?.ok_or("expected a number after {")?;
                    let max = if self.chars.peek() == Some(&',') {
                        self.chars.next();
                        self.number()?
                    } else {
                        Some(min)
                    };
                    if self.chars.next() != Some('}') {
                        return Err("unterminated {".into());
                    }
                    if max.map_or(false, |m| m < min) || min > MAX_REPEAT || max.map_or(false, |m| m > MAX_REPEAT) {
                        return Err("invalid repetition count(s)".into());
                    }
                    atom = Node::Repeat(Box::new(atom), min, max);
                    continue;
                }
                _ => return Ok(atom),
            };
            self.chars.next();
            if matches!(atom, Node::Bol | Node::Eol | Node::Empty) {
                return Err("quantifier operand invalid".into());
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    fn number(&mut self) -> Result<Option<u32>, String> {
        let mut n: Option<u32> = None;
        while let Some(d) = self.chars.peek().and_then(|c| c.to_digit(10)) {
            self.chars.next();
            n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d));
        }
        Ok(n)
    }

    fn atom(&mut self, depth: u32) -> Result<Node, String> {
        match self.chars.next().unwrap() {
            '(' => {
                let inner = self.alt(depth + 1)?;
                if self.chars.next() != Some(')') {
                    return Err("parentheses () not balanced".into());
                }
                Ok(inner)
            }
            '.' => Ok(Node::Any),
            '^' => Ok(Node::Bol),
            '$' => Ok(Node::Eol),
            '[' => self.class(),
            '\\' => self.escape(false).map(|(set, neg)| if !neg && set.len() == 1 && set[0].0 == set[0].1 { Node::Char(set[0].0) } else { Node::Class(set, neg) }),
            c @ ('*' | '+' | '?' | '{') => Err(format!("quantifier operand invalid at '{}'", c)),
            c => Ok(Node::Char(c)),
        }
    }

    /// An escape after '\': a shorthand class or a literal punctuation character.
    fn escape(&mut self, in_class: bool) -> Result<(Vec<(char, char)>, bool), String> {
        let c = self.chars.next().ok_or("invalid escape \\ sequence")?;
        let digit = vec![('0', '9')];
        let word = vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
        let space = vec![('\t', '\r'), (' ', ' ')];
        Ok(match c {
            'd' => (digit, false),
            'D' if !in_class => (digit, true),
            'w' => (word, false),
            'W' if !in_class => (word, true),
            's' => (space, false),
            'S' if !in_class => (space, true),
            'n' => (vec![('\n', '\n')], false),
            't' => (vec![('\t', '\t')], false),
            c if c.is_ascii_punctuation() => (vec![(c, c)], false),
            _ => return Err("invalid escape \\ sequence".into()),
        })
    }

    fn class(&mut self) -> Result<Node, String> {
        let mut set = Vec::new();
        let neg = self.chars.peek() == Some(&'^');
        if neg {
            self.chars.next();
        }
        let mut first = true;
        loop {
            let c = self.chars.next().ok_or("brackets [] not balanced")?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                let (s, _) = self.escape(true)?;
                if s.len() != 1 || s[0].0 != s[0].1 {
                    set.extend(s);
                    continue;
                }
                s[0].0
            } else {
                c
            };
            let mut ahead = self.chars.clone();
            if ahead.next() == Some('-') && ahead.peek().map_or(false, |&n| n != ']') {
                self.chars.next();
                let mut hi = self.chars.next().unwrap();
                if hi == '\\' {
                    let (s, _) = self.escape(true)?;
                    if s.len() != 1 || s[0].0 != s[0].1 {
                        return Err("invalid character range".into());
                    }
                    hi = s[0].0;
                }
                if hi < lo {
                    return Err("invalid character range".into());
                }
                set.push((lo, hi));
            } else {
                set.push((lo, lo));
            }
        }
        Ok(Node::Class(set, neg))
    }
}

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let mut p = Parser { chars: pattern.chars().peekable() };
        let node = p.alt(0)?;
        if p.chars.next().is_some() {
            return Err("parentheses () not balanced".into());
        }
        let mut prog = Vec::new();
        emit(&node, &mut prog)?;
        prog.push(Inst::Match);
        Ok(Regex { prog })
    }

    /// Whether the pattern matches a substring of `s`: all threads advance one character at a time.
    pub fn is_match(&self, s: &str) -> bool {
        let n = self.prog.len();
        let mut clist: Vec<usize> = Vec::new();
        let mut nlist: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let chars: Vec<char> = s.chars().collect();
        for i in 0..=chars.len() {
            // a new thread starts at every position: the search is unanchored
            if self.add(&mut clist, &mut seen, 0, i, chars.len()) {
                return true;
            }
            if i == chars.len() {
                break;
            }
            let c = chars[i];
            nlist.clear();
            for &pc in &clist {
                let ok = match &self.prog[pc] {
                    Inst::Char(x) => *x == c,
                    Inst::Any => true, // PostgreSQL's . matches a newline too
                    Inst::Class(set, neg) => set.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *neg,
                    _ => false,
                };
                if ok && self.add(&mut nlist, &mut seen, pc + 1, i + 1, chars.len()) {
                    return true;
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
        }
        false
    }

    /// Adds the thread at `pc` for position `at`, following jumps, splits and assertions; true on Match.
    fn add(&self, list: &mut Vec<usize>, seen: &mut [usize], pc: usize, at: usize, len: usize) -> bool {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen[pc] == at {
                continue;
            }
            seen[pc] = at;
            match self.prog[pc] {
                Inst::Jmp(t) => stack.push(t),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Bol => {
                    if at == 0 {
                        stack.push(pc + 1);
                    }
                }
                Inst::Eol => {
                    if at == len {
                        stack.push(pc + 1);
                    }
                }
                Inst::Match => return true,
                _ => list.push(pc),
            }
        }
        false
    }
}

const MAX_PROGRAM: usize = 100_000;

fn emit(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
    if prog.len() > MAX_PROGRAM {
        return Err("regular expression is too complex".into());
    }
    match node {
        Node::Empty => {}
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(s, n) => prog.push(Inst::Class(s.clone(), *n)),
        Node::Bol => prog.push(Inst::Bol),
        Node::Eol => prog.push(Inst::Eol),
        Node::Cat(items) => {
            for i in items {
                emit(i, prog)?;
            }
        }
        Node::Alt(a, b) => {
            let split = prog.len();
            prog.push(Inst::Split(split + 1, 0));
            emit(a, prog)?;
            let jmp = prog.len();
            prog.push(Inst::Jmp(0));
            let b_start = prog.len();
            emit(b, prog)?;
            prog[split] = Inst::Split(split + 1, b_start);
            prog[jmp] = Inst::Jmp(prog.len());
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                emit(inner, prog)?;
            }
            match max {
                None => {
                    // inner*: L: split(body, out); body; jmp L
                    let l = prog.len();
                    prog.push(Inst::Split(l + 1, 0));
                    emit(inner, prog)?;
                    prog.push(Inst::Jmp(l));
                    prog[l] = Inst::Split(l + 1, prog.len());
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(prog.len() + 1, 0));
                        emit(inner, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}
